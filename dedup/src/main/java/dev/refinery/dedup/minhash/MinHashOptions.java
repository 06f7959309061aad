package dev.refinery.dedup.minhash;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.dedup.Representative;
import dev.refinery.dedup.TextNormalization;

/** Options of {@code dedup-minhash} ({@code dedup-minhash.*}), validated when the stage is built. */
public record MinHashOptions(
    TextNormalization normalization,
    Shingler.Unit shingleUnit,
    int shingleSize,
    int numPermutations,
    long seed,
    double threshold,
    LshParameters lsh,
    Verify verify,
    int allPairsMaxBucket,
    int maxRounds,
    Representative representative) {

  /** How candidate edges from shared buckets are checked before components are formed. */
  public enum Verify {
    /** Keep every candidate edge (similarity recorded is the MinHash estimate). */
    NONE,
    /** Keep edges whose MinHash estimate is at least the threshold. */
    ESTIMATE,
    /** Keep edges whose exact Jaccard similarity of shingle sets is at least the threshold. */
    EXACT
  }

  public Shingler shingler() {
    return new Shingler(normalization, shingleUnit, shingleSize);
  }

  public MinHasher hasher() {
    return new MinHasher(numPermutations, seed);
  }

  public static MinHashOptions from(RefineryConfig config) {
    int numPermutations = config.getInt("dedup-minhash.num-perm", 1, 1024);
    double threshold = config.getDouble("dedup-minhash.threshold", 0.01, 0.99);
    int bands = config.getInt("dedup-minhash.bands", 0, 1024);
    int rows = config.getInt("dedup-minhash.rows", 0, 1024);
    LshParameters lsh;
    if (bands == 0 && rows == 0) {
      lsh = LshParameters.optimal(threshold, numPermutations,
          config.getDouble("dedup-minhash.false-positive-weight", 0, 1),
          config.getDouble("dedup-minhash.false-negative-weight", 0, 1));
    } else {
      config.check("dedup-minhash.bands", bands, b -> b > 0 && rows > 0,
          "bands and rows both set (> 0) or both 0 (chosen for the threshold)");
      config.check("dedup-minhash.rows", rows, r -> (long) bands * r <= numPermutations,
          "bands x rows <= num-perm (" + numPermutations + ")");
      lsh = new LshParameters(bands, rows);
    }
    return new MinHashOptions(
        config.getEnum("dedup-minhash.normalization", TextNormalization.class),
        config.getEnum("dedup-minhash.shingle-unit", Shingler.Unit.class),
        config.getInt("dedup-minhash.shingle-size", 1, 64),
        numPermutations,
        config.getLong("dedup-minhash.seed"),
        threshold,
        lsh,
        config.getEnum("dedup-minhash.verify", Verify.class),
        config.getInt("dedup-minhash.all-pairs-max-bucket", 2, 1000),
        config.getInt("dedup-minhash.max-rounds", 1, 1000),
        Representative.fromConfig(config));
  }
}
