package dev.refinery.annotation.imports;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

public final class ImportLabelsProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return ImportLabelsStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new ImportLabelsStage(ImportLabelsOptions.from(config));
  }
}
