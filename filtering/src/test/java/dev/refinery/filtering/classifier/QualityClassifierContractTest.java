package dev.refinery.filtering.classifier;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.testing.StageContractTest;
import java.util.List;

/** quality-classifier-train under the stage contract: the real DCLM human-labelled sample, a narrow hash. */
class QualityClassifierContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new QualityClassifierTrainStageProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    String dclm = SharedSpark.repoRoot()
        .resolve("samples/web-sample/dclm-human-quality/majority_data.jsonl.gz").toString();
    return base.with("quality-classifier-train.paths", List.of(dclm))
        .with("quality-classifier-train.num-features", 1 << 14)
        .with("quality-classifier-train.max-iterations", 20);
  }

  @Override
  protected void seedInputs() {
    // Reads the labelled file.
  }
}
