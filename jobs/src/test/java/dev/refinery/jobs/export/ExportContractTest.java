package dev.refinery.jobs.export;

import dev.refinery.annotation.imports.ImportPairsStageProvider;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.testing.StageContractTest;
import java.util.List;

/** export under the stage contract, on 40 real HH-RLHF pairs imported by import-pairs. */
class ExportContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new ExportStageProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    return base.with("import-pairs.paths",
            List.of(SharedSpark.repoRoot().resolve("samples/hh-rlhf/harmless-base/test.jsonl.gz").toString()))
        .with("import-pairs.max-pairs", 40);
  }

  @Override
  protected void seedInputs() {
    new StageRunner(spark, config, lakehouse, "seed").run(new ImportPairsStageProvider().create(config));
  }
}
