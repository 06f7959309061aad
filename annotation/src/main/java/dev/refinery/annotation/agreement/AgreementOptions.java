package dev.refinery.annotation.agreement;

import dev.refinery.core.config.RefineryConfig;
import java.io.Serializable;
import java.util.List;

/** The validated {@code agreement.*} options. */
public record AgreementOptions(
    List<String> raterKinds,
    Aggregation aggregation,
    int minRaters,
    double minAgreement,
    boolean dropTies,
    boolean requireChosen,
    Weight weight,
    int resamples,
    double confidenceLevel,
    long seed,
    int maxBootstrapPairs,
    int maxIterations,
    double tolerance,
    double smoothing,
    int maxLocalPatterns) implements Serializable {

  /** Which label a pair gets: the majority's, or Dawid-Skene's posterior mode. */
  public enum Aggregation { MAJORITY, DAWID_SKENE }

  /** The weight a kept pair carries into training. */
  public enum Weight { AGREEMENT_RATE, DS_POSTERIOR, SOFT_MARGIN, UNIFORM }

  static final String PREFIX = "agreement.";

  public static AgreementOptions from(RefineryConfig config) {
    List<String> kinds = config.getStringList(PREFIX + "rater-kinds");
    config.check(PREFIX + "rater-kinds", kinds,
        k -> !k.isEmpty() && k.stream().allMatch(s -> s.equals("ai") || s.equals("human")),
        "a non-empty list of ai, human");
    return new AgreementOptions(kinds,
        config.getEnum(PREFIX + "aggregation", Aggregation.class),
        config.getInt(PREFIX + "min-raters", 1, 1_000_000),
        config.getDouble(PREFIX + "min-agreement", 0, 1),
        config.getBoolean(PREFIX + "drop-ties"),
        config.getBoolean(PREFIX + "require-chosen"),
        config.getEnum(PREFIX + "weight", Weight.class),
        config.getInt(PREFIX + "bootstrap.resamples", 0, 100_000),
        config.getDouble(PREFIX + "bootstrap.confidence-level", 0.5, 0.999),
        config.getLong(PREFIX + "bootstrap.seed"),
        config.getInt(PREFIX + "bootstrap.max-rater-pairs", 0, 100_000),
        config.getInt(PREFIX + "dawid-skene.max-iterations", 1, 10_000),
        config.getDouble(PREFIX + "dawid-skene.tolerance", 0, 1),
        config.getDouble(PREFIX + "dawid-skene.smoothing", 0, 100),
        config.getInt(PREFIX + "dawid-skene.max-local-patterns", 0, 100_000_000));
  }
}
