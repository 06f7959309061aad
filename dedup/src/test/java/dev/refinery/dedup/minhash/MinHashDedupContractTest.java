package dev.refinery.dedup.minhash;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.StageContractTest;
import dev.refinery.dedup.NearDupCorpus;
import dev.refinery.dedup.TestDocuments;

/** dedup-minhash under the stage contract, on WikiText paragraphs with word-level edited copies. */
class MinHashDedupContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new MinHashDedupProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    return base.with("dedup-minhash.verify", "exact");
  }

  @Override
  protected void seedInputs() {
    TestDocuments.writeRaw(spark, lakehouse, NearDupCorpus.wikiText(4, 11));
  }
}
