package dev.refinery.filtering.perplexity;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.StageContractTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** lm-train under the stage contract: a bigram model of 60 real WikiText-2 lines. */
class LmTrainContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new LmTrainStageProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    try {
      Path corpus = Files.createTempFile("lm-contract-", ".txt");
      Files.write(corpus, TestModels.wikiLines("wikitext-2-raw.test.raw.gz", 0, 60));
      return base.with("lm-train.corpus-paths", List.of(corpus.toString())).with("lm-train.order", 2);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void seedInputs() {
    // Reads the corpus file.
  }
}
