package dev.refinery.ingest;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers {@code ingest}. */
public final class IngestStageProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return IngestStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new IngestStage(IngestOptions.from(config));
  }
}
