package dev.refinery.core.stage;

import dev.refinery.core.config.RefineryConfig;

/**
 * Service-provider interface through which modules contribute stages: each module lists its providers in
 * {@code META-INF/services/dev.refinery.core.stage.StageProvider}, and the CLI finds them on the classpath.
 * A provider registers a spec, readable without config, and a factory.
 */
public interface StageProvider {
  StageSpec spec();

  /** Builds the stage, parsing and validating its options; config errors name the key. */
  Stage create(RefineryConfig config);

  default String name() {
    return spec().name();
  }
}
