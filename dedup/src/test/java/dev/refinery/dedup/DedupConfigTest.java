package dev.refinery.dedup;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.testing.ConfigSectionContract;
import dev.refinery.dedup.exact.ExactDedupProvider;
import dev.refinery.dedup.minhash.MinHashDedupProvider;
import dev.refinery.dedup.semantic.EmbedderComponentFactory;
import dev.refinery.dedup.semantic.SemanticDedupProvider;
import java.util.List;

/** dedup's sections of conf/application.conf, pinned key by key, and read when its stages and embedder are built. */
class DedupConfigTest extends ConfigSectionContract {
  @Override
  protected List<String> sections() {
    return List.of("dedup", "dedup-exact", "dedup-minhash", "dedup-semantic");
  }

  @Override
  protected void readAtStartUp(RefineryConfig config) {
    new ExactDedupProvider().create(config);
    new MinHashDedupProvider().create(config);
    new SemanticDedupProvider().create(config);
    new EmbedderComponentFactory().create(config);
  }

  @Override
  protected String pinnedDefaults() {
    return """
        dedup.representative = "lowest-perplexity"
        dedup-exact.normalization = "basic"
        dedup-minhash.all-pairs-max-bucket = 8
        dedup-minhash.bands = 0
        dedup-minhash.false-negative-weight = 0.95
        dedup-minhash.false-positive-weight = 0.05
        dedup-minhash.max-rounds = 60
        dedup-minhash.normalization = "aggressive"
        dedup-minhash.num-perm = 128
        dedup-minhash.rows = 0
        dedup-minhash.seed = 42
        dedup-minhash.shingle-size = 5
        dedup-minhash.shingle-unit = "word"
        dedup-minhash.threshold = 0.8
        dedup-minhash.verify = "estimate"
        dedup-semantic.batch-size = 32
        dedup-semantic.chunk-size = 4096
        dedup-semantic.eps = 0.07
        dedup-semantic.intra-op-threads = 1
        dedup-semantic.kmeans-max-iterations = 20
        dedup-semantic.max-clusters = 50000
        dedup-semantic.max-tokens = 256
        dedup-semantic.model = "all-minilm-l6-v2"
        dedup-semantic.model-dir = "models/all-minilm-l6-v2"
        dedup-semantic.order = "farthest-first"
        dedup-semantic.seed = 42
        dedup-semantic.target-cluster-size = 1000
        """;
  }
}
