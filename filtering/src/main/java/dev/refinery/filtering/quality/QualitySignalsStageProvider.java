package dev.refinery.filtering.quality;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers {@code quality-signals}. */
public final class QualitySignalsStageProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return QualitySignalsStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new QualitySignalsStage(QualitySignalsOptions.from(config));
  }
}
