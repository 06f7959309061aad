package dev.refinery.annotation.imports;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;

public final class ImportLabelsProvider implements StageProvider {
  @Override
  public String name() {
    return "import-labels";
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new ImportLabelsStage(ImportLabelsOptions.from(config));
  }
}
