package dev.refinery.dedup.exact;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;

/** Registers {@code dedup-exact}. */
public final class ExactDedupProvider implements StageProvider {
  @Override
  public String name() {
    return "dedup-exact";
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new ExactDedupStage(ExactDedupOptions.from(config));
  }
}
