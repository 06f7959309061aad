package dev.refinery.dedup.exact;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers {@code dedup-exact}. */
public final class ExactDedupProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return ExactDedupStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new ExactDedupStage(ExactDedupOptions.from(config));
  }
}
