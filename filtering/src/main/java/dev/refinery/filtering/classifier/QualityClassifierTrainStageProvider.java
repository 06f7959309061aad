package dev.refinery.filtering.classifier;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers {@code quality-classifier-train}. */
public final class QualityClassifierTrainStageProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return QualityClassifierTrainStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new QualityClassifierTrainStage(QualityClassifierOptions.from(config));
  }
}
