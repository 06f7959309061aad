package dev.refinery.annotation.imports;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.testing.StageContractTest;
import java.util.List;

/** import-labels under the stage contract, on the first real PandaLM records (three human raters each). */
class ImportLabelsContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new ImportLabelsProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    return base.with("import-labels.format", "pandalm")
        .with("import-labels.max-records", 40)
        .with("import-labels.paths", List.of(SharedSpark.repoRoot()
            .resolve("samples/preference-annotations/pandalm/testset-v1.json").toString()));
  }

  @Override
  protected void seedInputs() {
    // Reads files only.
  }
}
