package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** Schema of {@code contamination}, written by the {@code decontaminate} stage. */
public final class DecontaminationSchemas {
  private DecontaminationSchemas() {}

  public static final String ACTION_DROP = "drop";
  public static final String ACTION_FLAG = "flag";

  /**
   * One row per checked row and evaluation item that share at least one normalised n-gram. Key: {@code table},
   * {@code row_id}, {@code eval_set}, {@code eval_item_id} (MERGE, so a rerun adds no duplicates).
   *
   * <ul>
   *   <li>{@code row_id}: the checked row's key in {@code table} (doc_id, instruction_id, pair_id or prompt_id);</li>
   *   <li>{@code field}: the first checked field (in the stage's field order) holding a matching n-gram;</li>
   *   <li>{@code eval_item_id}: the eval set's id field, or the item's 1-based record number in its file;</li>
   *   <li>{@code ngram}: the first matching n-gram of {@code field} (normalised text, tokens joined by one space);</li>
   *   <li>{@code n_matching_ngrams}: distinct n-grams of the row (all checked fields) found in the item;</li>
   *   <li>{@code action}: {@code drop} (the training export leaves the row out) or {@code flag} (recorded only).</li>
   * </ul>
   */
  public static final StructType CONTAMINATION = new StructType()
      .add("row_id", StringType, false)
      .add("table", StringType, false)
      .add("field", StringType, false)
      .add("eval_set", StringType, false)
      .add("eval_item_id", StringType, false)
      .add("ngram", StringType, false)
      .add("n_matching_ngrams", LongType, false)
      .add("action", StringType, false)
      .add("run_id", StringType, false);
}
