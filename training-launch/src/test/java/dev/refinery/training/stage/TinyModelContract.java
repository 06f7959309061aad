package dev.refinery.training.stage;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.testing.HhRlhfPairs;
import dev.refinery.core.testing.StageContractTest;
import dev.refinery.training.export.ExportStageProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The training stages under the stage contract, on the tiny random-weight model (a few steps) and real HH-RLHF
 * pairs exported the way the pipeline exports them.
 */
abstract class TinyModelContract extends StageContractTest {
  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    try {
      return base.with("training.model.kind", "tiny")
          .with("training.model.max-length", 48)
          .with("training.model.tiny.hidden-size", 32)
          .with("training.model.tiny.intermediate-size", 64)
          .with("training.train.max-steps", 2)
          .with("training.train.batch-size", 4)
          .with("training.train.checkpoint-every", 2)
          .with("training.train.trainable", "all")
          .with("training.train.checkpoint-root", Files.createTempDirectory("ckpt-").toString())
          .with("ref-logprobs.max-pairs", 8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void seedInputs() {
    HhRlhfPairs.write(spark, lakehouse, 16);
    new StageRunner(spark, config, lakehouse, "seed").run(new ExportStageProvider().create(config));
  }
}
