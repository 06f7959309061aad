package dev.refinery.filtering.perplexity;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers {@code lm-train}. */
public final class LmTrainStageProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return LmTrainStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new LmTrainStage(LmTrainOptions.from(config));
  }
}
