package dev.refinery.training.export;

import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.HhRlhfPairs;
import dev.refinery.core.testing.StageContractTest;

/** export under the stage contract, on 40 real HH-RLHF pairs. */
class ExportContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new ExportStageProvider();
  }

  @Override
  protected void seedInputs() {
    HhRlhfPairs.write(spark, lakehouse, 40);
  }
}
