package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * {@code preference_pairs}: one prompt with a chosen and a rejected response, keyed by {@code pair_id}
 * (hash of source and origin id). Written by {@code cai} (chosen = final revision, rejected = initial
 * response) and read by the judge, agreement and export stages.
 *
 * <ul>
 *   <li>{@code prompt}: the prompt as plain text; {@code prompt_messages}: the same as chat turns
 *       (role/content), what TRL's conversational format needs;</li>
 *   <li>{@code source}: {@code cai}, {@code rlaif} or {@code import};</li>
 *   <li>{@code principle}: the constitution principle(s) behind the pair, comma-separated (null if none);</li>
 *   <li>lineage: {@code origin_table} and {@code origin_id} (e.g. {@code cai_revisions} / prompt_id),
 *       {@code prompt_source} (the dataset the prompt came from), {@code model}, {@code run_id},
 *       {@code created_at}.</li>
 * </ul>
 */
public final class PreferenceSchemas {
  private PreferenceSchemas() {}

  public static final String SOURCE_CAI = "cai";

  public static final StructType PREFERENCE_PAIRS = createStructType(List.of(
      createStructField("pair_id", StringType, false),
      createStructField("prompt", StringType, false),
      createStructField("prompt_messages", createArrayType(LlmSchemas.MESSAGE, false), false),
      createStructField("chosen", StringType, false),
      createStructField("rejected", StringType, false),
      createStructField("source", StringType, false),
      createStructField("principle", StringType, true),
      createStructField("origin_table", StringType, false),
      createStructField("origin_id", StringType, false),
      createStructField("prompt_source", StringType, true),
      createStructField("model", StringType, true),
      createStructField("run_id", StringType, false),
      createStructField("created_at", TimestampType, false)));
}
