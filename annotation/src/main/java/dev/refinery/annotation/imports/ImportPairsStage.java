package dev.refinery.annotation.imports;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.ReasonCounts;
import dev.refinery.core.stage.RowsOut;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.table.Tables;
import dev.refinery.core.table.TrainingSchemas;
import dev.refinery.core.text.ByteOrderMark;
import dev.refinery.core.text.HhRlhfTranscript;
import dev.refinery.core.text.StableIds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code import-pairs}: reads HH-RLHF-style JSONL ({@code chosen}/{@code rejected} transcripts) into
 * {@code preference_pairs} with {@code source} = the configured name, so training works on imported pairs
 * alone. Transcripts are split by {@link HhRlhfTranscript}, as {@code import-labels} (format {@code hh-rlhf})
 * splits them, and {@code pair_id} is {@link HhRlhfTranscript.Pair#pairId()}: the same line imported by either
 * stage is one row, and a rerun inserts nothing new. Each file is read whole by one task, so a line's position
 * ({@code origin_id} = file:line) is its 1-based line within its own file. Unparsable lines go to quarantine;
 * pairs that cannot be split into prompt + responses are dropped by the parser's reason; repeated pairs are
 * dropped as {@code duplicate}.
 */
final class ImportPairsStage implements Stage {
  static final String NAME = "import-pairs";

  static final StageSpec SPEC = StageSpec.builder(NAME)
      .writes(Tables.PREFERENCE_PAIRS).config("import-pairs")
      .description("import HH-RLHF preference pairs (import-pairs.paths)")
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
          "Cannot run stage import-pairs: import-pairs.paths is empty. Set it to HH-RLHF JSONL files, "
              + "e.g. --set import-pairs.paths=[samples/hh-rlhf/harmless-base/test.jsonl.gz]");
    }
    var spark = context.spark();
    checkPathsMatch(spark.sparkContext().hadoopConfiguration());
    Dataset<Row> lines = spark.createDataFrame(numberedLines(JavaSparkContext.fromSparkContext(spark.sparkContext())
        .binaryFiles(String.join(",", paths))), LINES);
    if (maxPairs > 0) {
      lines = lines.orderBy("path", "line").limit(maxPairs);
    }
    String source = sourceName;
    String runId = context.runId();
    Timestamp now = Timestamp.from(Instant.now());
    JavaRDD<Row> parsed = lines.javaRDD().mapPartitions(it -> parseLines(it, source, runId, now));
    Dataset<Row> rows = spark.createDataFrame(parsed, PARSED).cache();
    try {
      Dataset<Row> quarantined = rows.filter(col("quarantine_reason").isNotNull())
          .select(col("source_path").as("source"),
              org.apache.spark.sql.functions.concat(org.apache.spark.sql.functions.lit("line "),
                  col("source_position").cast("string")).as("position"),
              col("quarantine_reason").as("reason"), col("raw"));
      long quarantinedCount = quarantined.count();
      if (quarantinedCount > 0) {
        context.quarantine(quarantined);
      }
      Dataset<Row> valid = rows.filter(col("quarantine_reason").isNull());
      // The first occurrence (by position) of a pair is kept; later ones are duplicates.
      var firstPosition = org.apache.spark.sql.expressions.Window.partitionBy("pair_id")
          .orderBy("source_path", "source_position");
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

  /** Fails before Spark does, naming the path, when a path or glob matches no file. */
  private void checkPathsMatch(org.apache.hadoop.conf.Configuration conf) {
    for (String path : paths) {
      FileStatus[] matches;
      try {
        Path pattern = new Path(path);
        matches = pattern.getFileSystem(conf).globStatus(pattern);
      } catch (IOException e) {
        throw RefineryException.external(e, "Cannot list import-pairs path %s: %s", path, e.getMessage());
      }
      if (matches == null || matches.length == 0) {
        throw RefineryException.userError("Cannot run stage import-pairs: path '%s' in import-pairs.paths matches no "
            + "files", path);
      }
    }
  }

  private static final StructType PARSED = TrainingSchemas.IMPORTED_PAIRS
      .add(REASON, DataTypes.StringType, true)
      .add("quarantine_reason", DataTypes.StringType, true)
      .add("raw", DataTypes.StringType, true);

  /** A non-blank input line: its file, its 1-based number within that file, its text. */
  private static final StructType LINES = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("line", DataTypes.LongType, false)
      .add("text", DataTypes.StringType, false);

  private static final scala.collection.immutable.Seq<Row> EMPTY =
      scala.jdk.javaapi.CollectionConverters.asScala(List.<Row>of()).toList();

  /** Each file's lines numbered within the file (one task reads a file whole; nothing is held in memory). */
  static JavaRDD<Row> numberedLines(org.apache.spark.api.java.JavaPairRDD<String, PortableDataStream> files) {
    return files.flatMap(file -> new FileLines(file._1(), open(file._1(), file._2())));
  }

  /** The file's bytes decompressed (gzip by name, or any Hadoop codec), after a leading byte-order mark. */
  private static BufferedReader open(String path, PortableDataStream stream) throws IOException {
    InputStream in = stream.open();
    if (path.endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16); // handles concatenated gzip members
    } else {
      CompressionCodec codec = new CompressionCodecFactory(stream.getConfiguration()).getCodec(new Path(path));
      if (codec != null) {
        in = codec.createInputStream(in);
      }
    }
    return ByteOrderMark.utf8Lines(in);
  }

  /** A file's non-blank lines as {@link #LINES} rows; closes the file at its end. */
  private static final class FileLines implements Iterator<Row> {
    private final String path;
    private final BufferedReader reader;
    private long number;
    private Row next;

    FileLines(String path, BufferedReader reader) {
      this.path = path;
      this.reader = reader;
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null) {
          String line = reader.readLine();
          if (line == null) {
            reader.close();
            return false;
          }
          number++;
          if (!line.isBlank()) {
            next = RowFactory.create(path, number, line);
          }
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + path + " after line " + number + ": " + e.getMessage(), e);
      }
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }
  }

  /** Static, so the iterator does not capture (and try to serialise) the stage. */
  private static Iterator<Row> parseLines(Iterator<Row> lines, String source, String runId, Timestamp now) {
    ObjectMapper json = new ObjectMapper();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return lines.hasNext();
      }

      @Override
      public Row next() {
        Row line = lines.next();
        return parseLine(json, line.getString(2), line.getString(0), line.getLong(1), source, runId, now);
      }
    };
  }

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
          null, path, position, runId, now, result.failure().reason(), null, null);
    }
    HhRlhfTranscript.Pair pair = result.pair();
    List<Row> messages = pair.promptMessages().stream()
        .map(m -> RowFactory.create(m.role(), m.content())).toList();
    return RowFactory.create(pair.pairId(), pair.prompt(),
        scala.jdk.javaapi.CollectionConverters.asScala(messages).toSeq(), pair.chosen(), pair.rejected(), source,
        null, path, position, runId, now, null, null, null);
  }
}
