package dev.refinery.filtering.perplexity;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers {@code perplexity}. */
public final class PerplexityStageProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return PerplexityStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new PerplexityStage(PerplexityOptions.from(config));
  }
}
