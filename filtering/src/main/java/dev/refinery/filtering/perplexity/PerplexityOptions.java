package dev.refinery.filtering.perplexity;

import dev.refinery.core.config.RefineryConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Validated options of the {@code perplexity} stage (keys under {@code perplexity}). */
public record PerplexityOptions(
    Optional<String> modelPath, BucketMode bucketMode, double[] percentiles, double[] thresholds,
    double quantileRelativeError, Set<String> keepBuckets) {

  public static final List<String> BUCKETS = List.of("head", "middle", "tail");

  /** How head/middle/tail cut points are chosen. */
  public enum BucketMode {
    /** Percentiles of the perplexities of this run (CCNet). */
    PERCENTILES,
    /** Fixed perplexity values. */
    THRESHOLDS
  }

  public static PerplexityOptions from(RefineryConfig config) {
    List<Double> percentiles = config.check("perplexity.percentiles", config.getDoubleList("perplexity.percentiles"),
        p -> p.size() == 2 && p.get(0) > 0 && p.get(0) < p.get(1) && p.get(1) < 100,
        "two increasing percentiles in (0, 100), e.g. [30, 60]");
    List<Double> thresholds = config.check("perplexity.thresholds", config.getDoubleList("perplexity.thresholds"),
        t -> t.size() == 2 && t.get(0) > 0 && t.get(0) < t.get(1), "two increasing positive perplexities");
    List<String> keep = config.check("perplexity.keep-buckets", config.getStringList("perplexity.keep-buckets"),
        k -> BUCKETS.containsAll(k), "a list of buckets among head, middle, tail");
    return new PerplexityOptions(
        config.getOptionalString("perplexity.model-path"),
        config.getEnum("perplexity.bucket-mode", BucketMode.class),
        new double[] {percentiles.get(0), percentiles.get(1)},
        new double[] {thresholds.get(0), thresholds.get(1)},
        config.getDouble("perplexity.quantile-relative-error", 0, 0.5),
        new TreeSet<>(keep));
  }
}
