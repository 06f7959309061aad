package dev.refinery.filtering.decontamination;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.refinery.core.stage.ReasonCounts;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.table.DecontaminationSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.filtering.decontamination.DecontaminateOptions.Action;
import dev.refinery.filtering.decontamination.DecontaminateOptions.Check;
import dev.refinery.filtering.decontamination.DecontaminateOptions.EvalSet;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code decontaminate}: finds rows that share a normalised word n-gram ({@code decontaminate.ngram-size}, 13 by
 * default, as GPT-3 and NeMo Curator) with an item of an evaluation set, and records each (row, eval item) pair in
 * {@code contamination} (MERGE on table, row_id, eval_set, eval_item_id).
 *
 * <p>Checked, where present and listed in {@code decontaminate.check}: {@code documents_clean.text} (or
 * {@code raw_documents.text} without it), {@code instructions} (instruction, input, output),
 * {@code preference_pairs} (prompt, chosen, rejected) and {@code cai_revisions.prompt}. Text is normalised by
 * {@link NgramNormaliser}; n-grams never span two fields. Eval items with fewer tokens than the n-gram size in
 * every text field have no n-gram: they are skipped and counted in the metric {@code eval_items_skipped_short}
 * (GPT-3 used shorter n-grams for short items; we do not, so such items cannot be matched).
 *
 * <p>The eval n-grams are keyed by a 64-bit hash. When there are at most {@code broadcast-max-ngrams} distinct
 * hashes, a sorted array of them is broadcast and each row emits only the n-grams whose hash is in it; above,
 * each row emits all its n-grams and they are joined with the eval n-grams on the hash. Either way a candidate is
 * confirmed by comparing the n-gram text, so a hash collision never records a match.
 *
 * <p>Rows in: the rows checked. With {@code action = drop}, rows that match drop under reason
 * {@code contaminated} (the training export leaves them out) and the rest are rows out; with {@code flag} every row
 * is a row out and the matches are counted in the metric {@code flagged}. The checked tables are not rewritten.
 */
public final class DecontaminateStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("decontaminate")
      .readsIfPresent(Tables.DOCUMENTS_CLEAN, Tables.RAW_DOCUMENTS, Tables.INSTRUCTIONS, Tables.PREFERENCE_PAIRS,
          Tables.CAI_REVISIONS)
      .writes(Tables.CONTAMINATION).config("decontaminate")
      .description("find rows sharing an n-gram with an evaluation set and record them in contamination")
      .build();

  static final String REASON = "contaminated";
  private static final String REASON_COLUMN = "drop_reason";

  /** The 64-bit n-gram hash; replaceable so that tests can force collisions. */
  @FunctionalInterface
  interface NgramHash extends Serializable {
    long hash(String ngram);
  }

  /** A checked table: its key and the text fields, in the order {@code contamination.field} prefers them. */
  record Target(String table, String key, List<String> fields) {}

  static final StructType CHECKED = new StructType()
      .add("table", StringType, false)
      .add("row_id", StringType, false)
      .add("fields", createArrayType(StringType, false), false)
      .add("texts", createArrayType(StringType, true), false);

  static final StructType ROW_NGRAMS = new StructType()
      .add("table", StringType, false)
      .add("row_id", StringType, false)
      .add("field_index", IntegerType, false)
      .add("field", StringType, false)
      .add("position", IntegerType, false)
      .add("hash", LongType, false)
      .add("ngram", StringType, false);

  static final StructType EVAL_NGRAMS = new StructType()
      .add("eval_set", StringType, false)
      .add("eval_item_id", StringType, false)
      .add("e_hash", LongType, false)
      .add("e_ngram", StringType, false);

  private final DecontaminateOptions options;
  private final NgramHash hash;

  DecontaminateStage(DecontaminateOptions options) {
    this(options, NgramNormaliser::hash);
  }

  DecontaminateStage(DecontaminateOptions options, NgramHash hash) {
    this.options = options;
    this.hash = hash;
  }

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  /** The tables to check that exist, in a fixed order. */
  List<Target> targets(StageContext context) {
    List<Target> out = new ArrayList<>();
    for (Check check : options.checks()) {
      switch (check) {
        case DOCUMENTS -> {
          if (context.lakehouse().exists(Tables.DOCUMENTS_CLEAN)) {
            out.add(new Target(Tables.DOCUMENTS_CLEAN, "doc_id", List.of("text")));
          } else if (context.lakehouse().exists(Tables.RAW_DOCUMENTS)) {
            out.add(new Target(Tables.RAW_DOCUMENTS, "doc_id", List.of("text")));
          }
        }
        case INSTRUCTIONS -> addIfPresent(context, out,
            new Target(Tables.INSTRUCTIONS, "instruction_id", List.of("instruction", "input", "output")));
        case PREFERENCE_PAIRS -> addIfPresent(context, out,
            new Target(Tables.PREFERENCE_PAIRS, "pair_id", List.of("prompt", "chosen", "rejected")));
        case CAI_REVISIONS -> addIfPresent(context, out,
            new Target(Tables.CAI_REVISIONS, "prompt_id", List.of("prompt")));
        default -> throw new IllegalStateException("Unknown check " + check);
      }
    }
    return out;
  }

  private static void addIfPresent(StageContext context, List<Target> out, Target target) {
    if (context.lakehouse().exists(target.table())) {
      out.add(target);
    }
  }

  @Override
  public StageResult run(StageContext context) {
    int n = options.ngramSize();
    NgramHash hasher = hash;
    Dataset<Row> items = null;
    for (EvalSet set : options.evalSets()) {
      Dataset<Row> one = EvalSetReader.read(context.spark(), set);
      items = items == null ? one : items.unionAll(one);
    }
    Dataset<Row> evalNgrams = items.flatMap(
            (FlatMapFunction<Row, Row>) item -> evalNgrams(item, n, hasher), Encoders.row(EVAL_NGRAMS))
        .distinct().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> checked = checked(context).persist(StorageLevel.MEMORY_AND_DISK());
    Broadcast<long[]> hashes = null;
    Dataset<Row> contamination = null;
    try {
      long itemCount = items.count();
      long itemsWithNgrams = evalNgrams.select("eval_set", "eval_item_id").distinct().count();
      long distinctHashes = evalNgrams.select("e_hash").distinct().count();
      boolean broadcast = distinctHashes <= options.broadcastMaxNgrams();
      Dataset<Row> rowNgrams;
      if (broadcast) {
        long[] sorted = evalNgrams.select("e_hash").distinct().as(Encoders.LONG()).collectAsList().stream()
            .mapToLong(Long::longValue).sorted().toArray();
        hashes = JavaSparkContext.fromSparkContext(context.spark().sparkContext()).broadcast(sorted);
        Broadcast<long[]> set = hashes;
        rowNgrams = checked.flatMap(
            (FlatMapFunction<Row, Row>) row -> rowNgrams(row, n, hasher, set.value()), Encoders.row(ROW_NGRAMS));
      } else {
        rowNgrams = checked.flatMap(
            (FlatMapFunction<Row, Row>) row -> rowNgrams(row, n, hasher, null), Encoders.row(ROW_NGRAMS));
      }
      // Joined on the hash; the text comparison confirms each candidate, so colliding n-grams never match.
      Dataset<Row> matches = rowNgrams.join(evalNgrams, col("hash").equalTo(col("e_hash")))
          .filter(col("ngram").equalTo(col("e_ngram")));
      contamination = matches.groupBy("table", "row_id", "eval_set", "eval_item_id")
          .agg(min(struct(col("field_index"), col("position"), col("field"), col("ngram"))).as("first"),
              countDistinct(col("ngram")).as("n_matching_ngrams"))
          .select(col("row_id"), col("table"), col("first.field").as("field"), col("eval_set"), col("eval_item_id"),
              col("first.ngram").as("ngram"), col("n_matching_ngrams"),
              lit(actionName(options.action())).as("action"), lit(context.runId()).as("run_id"))
          .persist(StorageLevel.MEMORY_AND_DISK());
      context.lakehouse().upsert(Tables.CONTAMINATION,
          context.spark().createDataFrame(contamination.javaRDD(), DecontaminationSchemas.CONTAMINATION),
          List.of("table", "row_id", "eval_set", "eval_item_id"));

      Dataset<Row> contaminated = contamination.select(col("table").as("c_table"), col("row_id").as("c_row_id"))
          .distinct();
      Dataset<Row> tagged = checked.select("table", "row_id")
          .join(contaminated, col("table").equalTo(col("c_table")).and(col("row_id").equalTo(col("c_row_id"))), "left")
          .withColumn(REASON_COLUMN, when(col("c_row_id").isNotNull(), lit(REASON)))
          .withColumn("contaminated_table", when(col("c_row_id").isNotNull(), col("table")));
      Map<String, Long> counts = ReasonCounts.count(tagged, REASON_COLUMN);
      Map<String, Long> byTable = ReasonCounts.count(tagged, "contaminated_table");
      long found = counts.getOrDefault(REASON, 0L);
      StageResult.Builder result;
      if (options.action() == Action.DROP) {
        result = ReasonCounts.toResult(counts, StageResult.builder());
      } else {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        result = ReasonCounts.toResult(Map.of(ReasonCounts.KEPT, total), StageResult.builder())
            .metric("flagged", found);
      }
      for (Map.Entry<String, Long> entry : new TreeMap<>(byTable).entrySet()) {
        if (!entry.getKey().equals(ReasonCounts.KEPT)) {
          result.metric("contaminated_" + entry.getKey(), entry.getValue());
        }
      }
      return result
          .metric("action", actionName(options.action()))
          .metric("ngram_size", n)
          .metric("eval_items", itemCount)
          .metric("eval_items_skipped_short", itemCount - itemsWithNgrams)
          .metric("eval_ngrams", distinctHashes)
          .metric("match_path", broadcast ? "broadcast" : "join")
          .metric("tables_checked", String.join(",", targets(context).stream().map(Target::table).toList()))
          .build();
    } finally {
      evalNgrams.unpersist();
      checked.unpersist();
      if (contamination != null) {
        contamination.unpersist();
      }
      if (hashes != null) {
        hashes.destroy();
      }
    }
  }

  /** Every checked row as table, row_id, field names and their texts. */
  Dataset<Row> checked(StageContext context) {
    Dataset<Row> all = context.spark().createDataFrame(List.of(), CHECKED);
    for (Target target : targets(context)) {
      List<Column> fields = new ArrayList<>();
      List<Column> texts = new ArrayList<>();
      for (String field : target.fields()) {
        fields.add(lit(field));
        texts.add(col(field).cast("string"));
      }
      Dataset<Row> rows = context.read(target.table()).select(lit(target.table()).as("table"),
          col(target.key()).as("row_id"), array(fields.toArray(Column[]::new)).as("fields"),
          array(texts.toArray(Column[]::new)).as("texts"));
      all = all.unionAll(rows);
    }
    return all;
  }

  /** An eval item's distinct n-grams over all its text fields (none for a field shorter than n tokens). */
  static Iterator<Row> evalNgrams(Row item, int n, NgramHash hash) {
    Set<String> seen = new HashSet<>();
    List<Row> out = new ArrayList<>();
    List<String> texts = item.getList(2);
    for (String text : texts) {
      for (String ngram : NgramNormaliser.ngrams(NgramNormaliser.tokens(text), n)) {
        if (seen.add(ngram)) {
          out.add(RowFactory.create(item.getString(0), item.getString(1), hash.hash(ngram), ngram));
        }
      }
    }
    return out.iterator();
  }

  /** A row's n-grams with field and position; only those whose hash is in {@code hashes} when it is given. */
  static Iterator<Row> rowNgrams(Row row, int n, NgramHash hash, long[] hashes) {
    List<Row> out = new ArrayList<>();
    List<String> fields = row.getList(2);
    List<String> texts = row.getList(3);
    for (int f = 0; f < fields.size(); f++) {
      List<String> ngrams = NgramNormaliser.ngrams(NgramNormaliser.tokens(texts.get(f)), n);
      for (int position = 0; position < ngrams.size(); position++) {
        String ngram = ngrams.get(position);
        long h = hash.hash(ngram);
        if (hashes == null || Arrays.binarySearch(hashes, h) >= 0) {
          out.add(RowFactory.create(row.getString(0), row.getString(1), f, fields.get(f), position, h, ngram));
        }
      }
    }
    return out.iterator();
  }

  private static String actionName(Action action) {
    return action == Action.DROP ? DecontaminationSchemas.ACTION_DROP : DecontaminationSchemas.ACTION_FLAG;
  }
}
