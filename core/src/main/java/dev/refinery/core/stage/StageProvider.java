package dev.refinery.core.stage;

import dev.refinery.core.config.RefineryConfig;

/**
 * Service-provider interface through which modules contribute stages: each module lists its providers in
 * {@code META-INF/services/dev.refinery.core.stage.StageProvider}, and the CLI finds them on the classpath.
 */
public interface StageProvider {
  /** The stage name, available without building the stage. */
  String name();

  /** Builds the stage, parsing and validating its options; config errors name the key. */
  Stage create(RefineryConfig config);
}
