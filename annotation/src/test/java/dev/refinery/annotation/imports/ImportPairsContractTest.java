package dev.refinery.annotation.imports;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.HhRlhfPairs;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.testing.StageContractTest;
import java.util.List;

/** import-pairs under the stage contract, on 30 real HH-RLHF harmless-base pairs. */
class ImportPairsContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new ImportPairsStageProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    return base.with("import-pairs.paths", List.of(SharedSpark.repoRoot().resolve(HhRlhfPairs.SAMPLE).toString()))
        .with("import-pairs.max-pairs", 30);
  }

  @Override
  protected void seedInputs() {
    // Reads files only.
  }
}
