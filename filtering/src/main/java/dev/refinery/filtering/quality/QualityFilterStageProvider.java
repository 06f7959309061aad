package dev.refinery.filtering.quality;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers {@code quality-filter}. */
public final class QualityFilterStageProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return QualityFilterStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new QualityFilterStage(QualityFilterOptions.from(config));
  }
}
