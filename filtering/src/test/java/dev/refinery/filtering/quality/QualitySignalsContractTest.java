package dev.refinery.filtering.quality;

import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.StageContractTest;

/** quality-signals under the stage contract, on real web documents and the planted cases. */
class QualitySignalsContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new QualitySignalsStageProvider();
  }

  @Override
  protected void seedInputs() {
    QualityTestDocuments.write(spark, lakehouse, QualityTestDocuments.documents(20));
  }
}
