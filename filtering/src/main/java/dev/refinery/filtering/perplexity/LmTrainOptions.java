package dev.refinery.filtering.perplexity;

import dev.refinery.core.config.RefineryConfig;
import java.util.List;

/** Validated options of {@code lm-train} (keys under {@code lm-train}, documented in application.conf). */
public record LmTrainOptions(
    List<String> corpusPaths, CorpusFormat corpusFormat, int order, String modelDir, List<Double> discountFallback)
    implements java.io.Serializable {

  /** How corpus lines are prepared before tokenising. */
  public enum CorpusFormat {
    /** Lines as they are. */
    PLAIN,
    /** WikiText: " @-@ ", " @,@ " and " @.@ " are turned back into "-", "," and ".". */
    WIKITEXT
  }

  public static LmTrainOptions from(RefineryConfig config) {
    List<String> paths = config.check("lm-train.corpus-paths", config.getStringList("lm-train.corpus-paths"),
        p -> !p.isEmpty() && p.stream().noneMatch(String::isBlank), "a non-empty list of corpus files");
    int order = config.getInt("lm-train.order", 1, 10);
    List<Double> fallback = config.check("lm-train.discount-fallback", config.getDoubleList("lm-train.discount-fallback"),
        d -> d.isEmpty() || d.size() == 3 && d.get(0) >= 0 && d.get(0) <= 1 && d.get(1) >= 0 && d.get(1) <= 2
            && d.get(2) >= 0 && d.get(2) <= 3,
        "[] or three discounts D1 in [0,1], D2 in [0,2], D3+ in [0,3]");
    String root = config.getString("lakehouse.root");
    String modelDir = config.getOptionalString("lm-train.model-dir")
        .orElse((root.endsWith("/") ? root : root + "/") + "models/lm");
    if (java.net.URI.create(modelDir.replace(" ", "%20")).getScheme() == null) {
      // Recorded in lm_models and opened by executors: make it independent of the working directory.
      modelDir = java.nio.file.Path.of(modelDir).toAbsolutePath().normalize().toString();
    }
    return new LmTrainOptions(paths, config.getEnum("lm-train.corpus-format", CorpusFormat.class), order, modelDir,
        fallback);
  }

  /** Applies the corpus format to one line. */
  public String prepare(String line) {
    if (corpusFormat == CorpusFormat.WIKITEXT) {
      return line.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", ".");
    }
    return line;
  }
}
