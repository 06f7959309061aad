package dev.refinery.annotation.agreement;

import dev.refinery.annotation.imports.ImportLabelsProvider;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.testing.StageContractTest;
import java.util.List;
import java.util.Set;

/** agreement under the stage contract, on the judgments of three real PandaLM human raters. */
class AgreementContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new AgreementProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    return base.with("import-labels.format", "pandalm")
        .with("import-labels.max-records", 60)
        .with("import-labels.paths", List.of(SharedSpark.repoRoot()
            .resolve("samples/preference-annotations/pandalm/testset-v1.json").toString()))
        .with("agreement.bootstrap.resamples", 50);
  }

  @Override
  protected Set<String> runLogTables() {
    return Set.of(Tables.AGREEMENT_SUMMARY);
  }

  @Override
  protected void seedInputs() {
    new StageRunner(spark, config, lakehouse, "seed").run(new ImportLabelsProvider().create(config));
  }
}
