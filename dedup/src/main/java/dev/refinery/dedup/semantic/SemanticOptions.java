package dev.refinery.dedup.semantic;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.dedup.Representative;

/** Options of {@code dedup-semantic} ({@code dedup-semantic.*}), validated when the stage is built. */
public record SemanticOptions(
    double eps,
    int targetClusterSize,
    int maxClusters,
    int kmeansMaxIterations,
    long seed,
    Order order,
    int chunkSize,
    Representative representative) {

  /** The order in which a cluster's items are visited; an item is kept unless it duplicates a kept one. */
  public enum Order {
    /** SemDeDup's default: farthest from the centroid first, keeping the "hard" examples. */
    FARTHEST_FIRST,
    CLOSEST_FIRST,
    /** {@code dedup.representative}'s order (lowest perplexity, then smallest doc_id). */
    REPRESENTATIVE
  }

  public static SemanticOptions from(RefineryConfig config) {
    return new SemanticOptions(
        config.getDouble("dedup-semantic.eps", 0.0, 1.0),
        config.getInt("dedup-semantic.target-cluster-size", 2, Integer.MAX_VALUE),
        config.getInt("dedup-semantic.max-clusters", 1, 1_000_000),
        config.getInt("dedup-semantic.kmeans-max-iterations", 1, 1000),
        config.getLong("dedup-semantic.seed"),
        config.getEnum("dedup-semantic.order", Order.class),
        config.getInt("dedup-semantic.chunk-size", 2, 1_000_000),
        Representative.fromConfig(config));
  }

  /** k for {@code documents} items: ceil(documents / target-cluster-size), within [1, max-clusters]. */
  public int clusters(long documents) {
    long k = (documents + targetClusterSize - 1) / targetClusterSize;
    return (int) Math.max(1, Math.min(k, Math.min(maxClusters, documents)));
  }
}
