package dev.refinery.core.stage;

import dev.refinery.core.config.RefineryConfig;

/**
 * Service-provider interface for the components stages ask for through {@link StageContext#component}:
 * implementations register in {@code META-INF/services/dev.refinery.core.stage.ComponentFactory}.
 * Wiring differs between a laptop, a cluster and a test only in config.
 */
public interface ComponentFactory<T> {
  Class<T> type();

  T create(RefineryConfig config);
}
