package dev.refinery.filtering.quality;

import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.testing.StageContractTest;

/** quality-filter under the stage contract: signals of real web documents, the gopher preset. */
class QualityFilterContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new QualityFilterStageProvider();
  }

  @Override
  protected void seedInputs() {
    QualityTestDocuments.write(spark, lakehouse, QualityTestDocuments.documents(20));
    new StageRunner(spark, config, lakehouse, "signals-run").run(new QualitySignalsStageProvider().create(config));
  }
}
