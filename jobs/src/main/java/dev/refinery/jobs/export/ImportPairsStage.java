package dev.refinery.jobs.export;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.ReasonCounts;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.RowsOut;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.table.Tables;
import dev.refinery.core.table.TrainingSchemas;
import dev.refinery.core.text.StableIds;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * {@code import-pairs}: reads HH-RLHF-style JSONL ({@code chosen}/{@code rejected} transcripts) into
 * {@code preference_pairs} with {@code source} = the configured name, so training works on imported pairs
 * alone. {@code pair_id} hashes the prompt and both responses; a rerun inserts nothing new. Unparsable lines go
 * to quarantine; pairs that cannot be split into prompt + responses are dropped by reason; repeated pairs are
 * dropped as {@code duplicate}.
 */
final class ImportPairsStage implements Stage {
  static final String NAME = "import-pairs";

  static final StageSpec SPEC = StageSpec.builder(NAME)
      .writes(Tables.PREFERENCE_PAIRS).config("training.import-pairs")
      .description("import HH-RLHF preference pairs (training.import-pairs.paths)")
      .rowsOut(RowsOut.committedTo(Tables.PREFERENCE_PAIRS))
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }
  private static final String REASON = "drop_reason";

  private final List<String> paths;
  private final String sourceName;
  private final int maxPairs;

  ImportPairsStage(List<String> paths, String sourceName, int maxPairs) {
    this.paths = List.copyOf(paths);
    this.sourceName = sourceName;
    this.maxPairs = maxPairs;
  }

  @Override
  public StageResult run(StageContext context) {
    if (paths.isEmpty()) {
      throw RefineryException.userError(
          "Cannot run stage import-pairs: training.import-pairs.paths is empty. Set it to HH-RLHF JSONL files, "
              + "e.g. --set training.import-pairs.paths=[samples/hh-rlhf/harmless-base/test.jsonl.gz]");
    }
    var spark = context.spark();
    JavaRDD<Row> lines = spark.read().text(paths.toArray(String[]::new))
        .withColumn("path", org.apache.spark.sql.functions.input_file_name())
        .javaRDD();
    JavaRDD<Tuple2<Row, Long>> indexed = lines.zipWithIndex().map(t -> new Tuple2<>(t._1(), t._2()));
    long limit = maxPairs;
    if (limit > 0) {
      indexed = indexed.filter(t -> t._2() < limit);
    }
    String source = sourceName;
    String runId = context.runId();
    Timestamp now = Timestamp.from(Instant.now());
    JavaRDD<Row> parsed = indexed.mapPartitions(it -> {
      ObjectMapper json = new ObjectMapper();
      List<Row> out = new ArrayList<>();
      while (it.hasNext()) {
        Tuple2<Row, Long> t = it.next();
        out.add(parseLine(json, t._1().getString(0), t._1().getString(1), t._2(), source, runId, now));
      }
      return out.iterator();
    });
    Dataset<Row> rows = spark.createDataFrame(parsed, PARSED).cache();
    try {
      Dataset<Row> quarantined = rows.filter(col("quarantine_reason").isNotNull())
          .select(col("source_path").as("source"), col("source_position").cast("string").as("position"),
              col("quarantine_reason").as("reason"), col("raw"));
      long quarantinedCount = quarantined.count();
      if (quarantinedCount > 0) {
        context.quarantine(quarantined);
      }
      Dataset<Row> valid = rows.filter(col("quarantine_reason").isNull());
      // The first occurrence (by position) of a pair is kept; later ones are duplicates.
      var firstPosition = org.apache.spark.sql.expressions.Window.partitionBy("pair_id").orderBy("source_position");
      Dataset<Row> tagged = valid.withColumn(REASON, org.apache.spark.sql.functions
          .when(col(REASON).isNull().and(org.apache.spark.sql.functions.row_number().over(firstPosition).gt(1)),
              org.apache.spark.sql.functions.lit("duplicate"))
          .otherwise(col(REASON))).cache();
      Map<String, Long> counts = ReasonCounts.count(tagged, REASON);
      // Written in preference_pairs' own schema (core PreferenceSchemas), the table cai and import-labels share.
      Dataset<Row> kept = tagged.filter(col(REASON).isNull()).select(
          col("pair_id"), col("prompt"),
          col("prompt_messages").cast(org.apache.spark.sql.types.DataTypes.createArrayType(
              dev.refinery.core.table.LlmSchemas.MESSAGE, false)).as("prompt_messages"),
          col("chosen"), col("rejected"), col("source"), col("principle"),
          org.apache.spark.sql.functions.lit("file").as("origin_table"),
          org.apache.spark.sql.functions.concat(col("source_path"), org.apache.spark.sql.functions.lit(":"),
              col("source_position").cast("string")).as("origin_id"),
          col("source_path").as("prompt_source"),
          org.apache.spark.sql.functions.lit(null).cast("string").as("model"),
          col("run_id"), col("created_at"));
      context.lakehouse().insertNew(Tables.PREFERENCE_PAIRS, kept, List.of("pair_id"));
      tagged.unpersist();
      return ReasonCounts.toResult(counts, StageResult.builder())
          .rowsIn(counts.values().stream().mapToLong(Long::longValue).sum() + quarantinedCount)
          .quarantined(quarantinedCount)
          .metric("source", sourceName)
          .build();
    } finally {
      rows.unpersist();
    }
  }

  private static final StructType PARSED = TrainingSchemas.IMPORTED_PAIRS
      .add(REASON, DataTypes.StringType, true)
      .add("quarantine_reason", DataTypes.StringType, true)
      .add("raw", DataTypes.StringType, true);

  private static final scala.collection.immutable.Seq<Row> EMPTY =
      scala.jdk.javaapi.CollectionConverters.asScala(List.<Row>of()).toList();

  static Row parseLine(ObjectMapper json, String line, String path, long position, String source, String runId,
      Timestamp now) {
    JsonNode node;
    try {
      node = json.readTree(line);
    } catch (Exception e) {
      node = null;
    }
    if (node == null || !node.isObject() || !node.path("chosen").isTextual() || !node.path("rejected").isTextual()) {
      String raw = line.length() > 2000 ? line.substring(0, 2000) : line;
      return RowFactory.create(StableIds.of("bad", path, Long.toString(position)), "", EMPTY, "", "", source,
          null, path, position, runId, now, null, "not_a_pair_object", raw);
    }
    HhRlhfTranscript.Result result =
        HhRlhfTranscript.parse(node.get("chosen").asText(), node.get("rejected").asText());
    if (!result.ok()) {
      return RowFactory.create(StableIds.of("dropped", path, Long.toString(position)), "", EMPTY, "", "", source,
          null, path, position, runId, now, result.failure(), null, null);
    }
    HhRlhfTranscript.Pair pair = result.pair();
    List<Row> messages = pair.promptMessages().stream()
        .map(m -> RowFactory.create(m.role(), m.content())).toList();
    String pairId = StableIds.of("pair", pair.prompt(), pair.chosen(), pair.rejected());
    return RowFactory.create(pairId, pair.prompt(), scala.jdk.javaapi.CollectionConverters.asScala(messages).toSeq(),
        pair.chosen(), pair.rejected(), source, null, path, position, runId, now, null, null, null);
  }
}
