package dev.refinery.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.config.RefineryConfig;
import org.apache.spark.sql.Column;

/**
 * How the document kept from a duplicate group is chosen ({@code dedup.representative}). Both rules are
 * total orders, so the choice is deterministic whatever the partitioning.
 */
public enum Representative {
  /** Lowest perplexity first (scored documents), ties and unscored documents by smallest {@code doc_id}. */
  LOWEST_PERPLEXITY,
  /** Smallest {@code doc_id}, ignoring scores. */
  SMALLEST_DOC_ID;

  /** The shared config key all three dedup stages read. */
  public static final String CONFIG_KEY = "dedup.representative";

  public static Representative fromConfig(RefineryConfig config) {
    return config.getEnum(CONFIG_KEY, Representative.class);
  }

  /**
   * A struct column that sorts best-first; {@code min} of it over a group gives the representative in its
   * {@code doc_id} field. Needs columns {@code doc_id} and {@code perplexity} (nullable).
   */
  public Column rankKey() {
    Column perplexity = this == LOWEST_PERPLEXITY
        ? when(col("perplexity").isNull().or(col("perplexity").isNaN()), lit(Double.MAX_VALUE))
            .otherwise(col("perplexity"))
        : lit(0.0);
    return struct(perplexity.cast("double").as("score"), col("doc_id").as("doc_id"));
  }
}
