package dev.refinery.filtering.classifier;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import java.io.Serializable;
import java.util.List;

/**
 * Validated options of {@code quality-classifier-train} (keys under {@code quality-classifier-train}, documented
 * in application.conf).
 */
public record QualityClassifierOptions(
    List<String> paths, Format format, String textField, String labelField, String positiveLabel,
    String negativeLabel, double heldOutFraction, long seed, int numFeatures, boolean idf, double regParam,
    double elasticNet, int maxIterations, double threshold, String modelDir) implements Serializable {

  /** The labelled files' format. */
  public enum Format {
    /** JSON lines, gzipped when the name ends in .gz. */
    JSONL
  }

  private static final String PREFIX = "quality-classifier-train.";

  public static QualityClassifierOptions from(RefineryConfig config) {
    List<String> paths = config.check(PREFIX + "paths", config.getStringList(PREFIX + "paths"),
        p -> !p.isEmpty() && p.stream().noneMatch(String::isBlank), "a non-empty list of labelled files");
    Format format = config.getEnum(PREFIX + "format", Format.class);
    String textField = nonBlank(config, "text-field");
    String labelField = nonBlank(config, "label-field");
    String positive = nonBlank(config, "positive-label");
    String negative = nonBlank(config, "negative-label");
    if (positive.equals(negative)) {
      throw RefineryException.userError(
          "Invalid config key '%snegative-label': expected a label other than positive-label but got '%s'",
          PREFIX, negative);
    }
    double heldOut = config.getDouble(PREFIX + "held-out-fraction", 0.0, 0.9);
    long seed = config.getLong(PREFIX + "seed");
    int numFeatures = config.getInt(PREFIX + "num-features", 2, 1 << 26);
    boolean idf = config.getBoolean(PREFIX + "idf");
    double regParam = config.getDouble(PREFIX + "reg-param", 0.0, Double.MAX_VALUE);
    double elasticNet = config.getDouble(PREFIX + "elastic-net", 0.0, 1.0);
    int maxIterations = config.getInt(PREFIX + "max-iterations", 1, 100_000);
    double threshold = config.getDouble(PREFIX + "threshold", 0.0, 1.0);
    String root = config.getString("lakehouse.root");
    String modelDir = config.getOptionalString(PREFIX + "model-dir")
        .orElse((root.endsWith("/") ? root : root + "/") + "models/quality");
    if (java.net.URI.create(modelDir.replace(" ", "%20")).getScheme() == null) {
      // Recorded in quality_models and loaded by scorers: make it independent of the working directory.
      modelDir = java.nio.file.Path.of(modelDir).toAbsolutePath().normalize().toString();
    }
    return new QualityClassifierOptions(List.copyOf(paths), format, textField, labelField, positive, negative,
        heldOut, seed, numFeatures, idf, regParam, elasticNet, maxIterations, threshold, modelDir);
  }

  private static String nonBlank(RefineryConfig config, String key) {
    return config.check(PREFIX + key, config.getString(PREFIX + key), s -> !s.isBlank(), "a non-empty string");
  }
}
