package dev.refinery.training.export;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.ReasonCounts;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.RowsOut;
import dev.refinery.core.stage.RowsIn;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.table.DecontaminationSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.table.TrainingSchemas;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code export}: kept preference pairs -> {@code rm_train} and {@code dpo_train} in TRL's formats.
 *
 * <p>Each row carries {@code prompt}/{@code chosen}/{@code rejected} as strings (TRL's standard format) and as
 * lists of {role, content} ({@code prompt_messages}, {@code chosen_messages}, {@code rejected_messages}: TRL's
 * conversational format), a {@code split} (train/test) from a hash of {@code pair_id} and the seed, so a pair stays
 * in its split across reruns and table growth, a {@code weight} from {@code agreement} (1 without it), and
 * {@code lineage}: the source tables and the versions read (a list of {table, version}, which survives the
 * pandas round trip that a map would not). Both tables are derived in full and overwritten.
 *
 * <p>Drop reasons: {@code empty_field}, {@code identical_responses}, {@code agreement_rejected}, {@code aggregated_tie},
 * {@code not_in_agreement} (only with {@code require-agreement}), {@code contaminated} (the pair has an
 * action {@code drop} row in {@code contamination}, written by decontaminate; {@code flag} rows keep it).
 */
final class ExportStage implements Stage {
  static final String NAME = "export";

  static final StageSpec SPEC = StageSpec.builder(NAME)
      .reads(Tables.PREFERENCE_PAIRS).readsIfPresent(Tables.AGREEMENT, Tables.CONTAMINATION)
      .writes(Tables.RM_TRAIN, Tables.DPO_TRAIN).config("export")
      .description("export kept preference pairs to TRL-format rm_train and dpo_train")
      .rowsIn(RowsIn.table(Tables.PREFERENCE_PAIRS)).rowsOut(RowsOut.committedTo(Tables.DPO_TRAIN))
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }
  private static final String REASON = "drop_reason";
  private static final int SPLIT_BUCKETS = 10_000;

  private final double testFraction;
  private final String splitSeed;
  private final boolean requireAgreement;

  ExportStage(double testFraction, String splitSeed, boolean requireAgreement) {
    this.testFraction = testFraction;
    this.splitSeed = splitSeed;
    this.requireAgreement = requireAgreement;
  }

  @Override
  public StageResult run(StageContext context) {
    Dataset<Row> pairs = normalisePairs(context.read(Tables.PREFERENCE_PAIRS));
    Map<String, Long> lineage = new LinkedHashMap<>(context.inputVersions());
    boolean withAgreement = lineage.containsKey(Tables.AGREEMENT);

    Column reason = when(trim(col("prompt")).equalTo("").or(trim(col("chosen")).equalTo(""))
        .or(trim(col("rejected")).equalTo("")), lit("empty_field"))
        .when(col("chosen").equalTo(col("rejected")), lit("identical_responses"));
    Column weight = lit(1.0);
    if (withAgreement) {
      Dataset<Row> agreement = agreementColumns(context.read(Tables.AGREEMENT));
      pairs = pairs.join(agreement, pairs.col("pair_id").equalTo(agreement.col("a_pair_id")), "left");
      Column missing = col("a_pair_id").isNull();
      reason = reason
          .when(missing.and(lit(requireAgreement)), lit("not_in_agreement"))
          .when(org.apache.spark.sql.functions.not(missing).and(col("a_kept").equalTo(false)), lit("agreement_rejected"))
          .when(col("a_label").equalTo("tie"), lit("aggregated_tie"));
      weight = coalesce(col("a_weight"), lit(1.0));
      // Imported pairs (PandaLM) store the responses in presentation order and let the labels carry the
      // preference: A = the chosen slot, B = the rejected slot. Orient each pair by the raters' verdict.
      Column swap = coalesce(col("a_label").equalTo("B"), lit(false));
      Column chosen = when(swap, col("rejected")).otherwise(col("chosen"));
      Column rejected = when(swap, col("chosen")).otherwise(col("rejected"));
      pairs = pairs.withColumn("chosen_oriented", chosen).withColumn("rejected_oriented", rejected)
          .drop("chosen", "rejected")
          .withColumnRenamed("chosen_oriented", "chosen")
          .withColumnRenamed("rejected_oriented", "rejected");
    }
    if (lineage.containsKey(Tables.CONTAMINATION)) {
      Dataset<Row> dropped = context.read(Tables.CONTAMINATION)
          .where(col("table").equalTo(Tables.PREFERENCE_PAIRS)
              .and(col("action").equalTo(DecontaminationSchemas.ACTION_DROP)))
          .select(col("row_id").as("c_pair_id")).distinct();
      pairs = pairs.join(dropped, pairs.col("pair_id").equalTo(dropped.col("c_pair_id")), "left");
      reason = reason.when(col("c_pair_id").isNotNull(), lit("contaminated"));
    }
    Dataset<Row> tagged = pairs.withColumn(REASON, reason).withColumn("weight", weight).cache();
    try {
      Map<String, Long> counts = ReasonCounts.count(tagged, REASON);
      Dataset<Row> kept = tagged.filter(col(REASON).isNull()).select(trainColumns(lineage, context.runId()));
      context.lakehouse().overwrite(Tables.RM_TRAIN, kept);
      context.lakehouse().overwrite(Tables.DPO_TRAIN, kept);
      long test = context.lakehouse().read(Tables.DPO_TRAIN).filter(col("split").equalTo("test")).count();
      return ReasonCounts.toResult(counts, StageResult.builder())
          .metric("test_pairs", test)
          .metric("with_agreement", withAgreement)
          .build();
    } finally {
      tagged.unpersist();
    }
  }

  /** The columns training reads, with defaults for the optional ones; fails naming any missing column. */
  static Dataset<Row> normalisePairs(Dataset<Row> pairs) {
    List<String> columns = Arrays.asList(pairs.columns());
    for (String required : List.of("pair_id", "prompt", "chosen", "rejected")) {
      if (!columns.contains(required)) {
        throw RefineryException.userError(
            "Cannot export preference_pairs: column %s is missing (columns: %s)", required, columns);
      }
    }
    Column promptMessages = columns.contains("prompt_messages")
        ? col("prompt_messages")
        : array(struct(lit("user").as("role"), col("prompt").as("content")));
    return pairs.select(
        col("pair_id"),
        coalesce(col("prompt"), lit("")).as("prompt"),
        coalesce(col("chosen"), lit("")).as("chosen"),
        coalesce(col("rejected"), lit("")).as("rejected"),
        promptMessages.as("prompt_messages"),
        (columns.contains("source") ? coalesce(col("source"), lit("unknown")) : lit("unknown")).as("source"),
        (columns.contains("principle") ? col("principle").cast("string") : lit(null).cast("string")).as("principle"));
  }

  private static Dataset<Row> agreementColumns(Dataset<Row> agreement) {
    List<String> columns = Arrays.asList(agreement.columns());
    if (!columns.contains("pair_id")) {
      throw RefineryException.userError("Cannot export with agreement: column pair_id is missing (columns: %s)",
          columns);
    }
    return agreement.select(
        col("pair_id").as("a_pair_id"),
        (columns.contains("kept") ? col("kept") : lit(true)).as("a_kept"),
        (columns.contains("weight") ? col("weight").cast("double") : lit(1.0)).as("a_weight"),
        (columns.contains("aggregated_label") ? col("aggregated_label").cast("string") : lit(null).cast("string"))
            .as("a_label"));
  }

  private Column[] trainColumns(Map<String, Long> lineage, String runId) {
    Column bucket = pmod(xxhash64(col("pair_id"), lit(splitSeed)), lit(SPLIT_BUCKETS));
    long testBuckets = Math.round(testFraction * SPLIT_BUCKETS);
    Column assistant = lit("assistant");
    return new Column[] {
        col("pair_id"),
        col("prompt"),
        col("chosen"),
        col("rejected"),
        col("prompt_messages"),
        array(struct(assistant.as("role"), col("chosen").as("content"))).as("chosen_messages"),
        array(struct(assistant.as("role"), col("rejected").as("content"))).as("rejected_messages"),
        when(bucket.lt(testBuckets), lit("test")).otherwise(lit("train")).as("split"),
        col("weight").cast("double").as("weight"),
        col("source"),
        col("principle"),
        lineageColumn(lineage).as("lineage"),
        lit(runId).as("run_id")};
  }

  private static Column lineageColumn(Map<String, Long> lineage) {
    List<Column> entries = new java.util.ArrayList<>();
    lineage.forEach((table, version) -> {
      entries.add(struct(lit(table).as("table"), lit(version).as("version")));
    });
    return array(entries.toArray(Column[]::new));
  }
}
