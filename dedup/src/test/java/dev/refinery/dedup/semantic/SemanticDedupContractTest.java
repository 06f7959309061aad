package dev.refinery.dedup.semantic;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.testing.StageContractTest;
import dev.refinery.dedup.NearDupCorpus;
import dev.refinery.dedup.TestDocuments;

/** dedup-semantic under the stage contract, with the real MiniLM embedder, on WikiText paragraphs and edits. */
class SemanticDedupContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new SemanticDedupProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    return base.with("dedup-semantic.model-dir", SharedSpark.repoRoot().resolve("models/all-minilm-l6-v2").toString())
        .with("dedup-semantic.target-cluster-size", 10)
        .with("dedup-semantic.kmeans-max-iterations", 5);
  }

  @Override
  protected void seedInputs() {
    TestDocuments.writeRaw(spark, lakehouse, NearDupCorpus.wikiText(3, 13));
  }
}
