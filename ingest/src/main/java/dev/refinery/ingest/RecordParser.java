package dev.refinery.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.text.StableIds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns input files into one row per record with the record's outcome. Line- and record-oriented formats
 * are parsed in Java on executors, one task per file, so each reject knows its file and line; Parquet goes
 * through Spark's reader with {@code _metadata.row_index} as the position.
 */
final class RecordParser {
  static final StructType SCHEMA = new StructType()
      .add("file", StringType, false)
      .add("ordinal", LongType, false)
      .add("position", StringType, false)
      .add("source", StringType, false)
      .add("source_id", StringType, true)
      .add("doc_id", StringType, true)
      .add("text", StringType, true)
      .add("meta", createMapType(StringType, StringType), false)
      .add("error", StringType, true)
      .add("drop_reason", StringType, true)
      .add("raw", StringType, true);

  private final SparkSession spark;
  private final IngestOptions options;

  RecordParser(SparkSession spark, IngestOptions options) {
    this.spark = spark;
    this.options = options;
  }

  Dataset<Row> parse() {
    List<String> files = SourceFiles.expand(options.paths(), spark.sparkContext().hadoopConfiguration());
    if (options.format() == IngestFormat.PARQUET) {
      return parseParquet(files);
    }
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    IngestOptions opts = options;
    MapPartitionsFunction<String, Row> readFiles = paths -> {
      StreamingRecords records = new StreamingRecords(paths, readerFor(opts), conf.get());
      return rows(records, opts);
    };
    return spark.createDataset(files, Encoders.STRING())
        .repartition(Math.max(1, Math.min(files.size(), spark.sparkContext().defaultParallelism() * 4)))
        .mapPartitions(readFiles, Encoders.row(SCHEMA));
  }

  /** Static, so the iterator does not capture (and try to serialise) this parser. */
  private static Iterator<Row> rows(StreamingRecords records, IngestOptions options) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public Row next() {
        return toRow(records.next(), options);
      }
    };
  }

  private static RecordReader readerFor(IngestOptions options) {
    return switch (options.format()) {
      case JSONL -> new JsonlReader(options.jsonlIdField(), options.jsonlTextField(), options.jsonlMetaFields(),
          options.maxDocumentBytes());
      case TEXT -> new TextReader(options.textMode(), options.maxDocumentBytes());
      case WARC -> new WarcReader(options.warcRecordTypes(), options.maxDocumentBytes());
      case PARQUET -> throw new IllegalStateException("Parquet is read by Spark");
    };
  }

  private static Row toRow(ParsedRecord record, IngestOptions options) {
    String source = options.sourceName().orElse(TextReader.baseName(record.file()));
    String docId = record.sourceId() == null ? null : StableIds.docId(source, record.sourceId());
    return RowFactory.create(record.file(), record.ordinal(), record.position(), source, record.sourceId(), docId,
        record.text(), CollectionConverters.asScala(record.meta()), record.error(), record.dropReason(), record.raw());
  }

  private Dataset<Row> parseParquet(List<String> files) {
    Dataset<Row> frame;
    try {
      frame = spark.read().parquet(files.toArray(String[]::new))
          .select(col("*"), col("_metadata.file_path").as("_file"), col("_metadata.row_index").as("_row"));
    } catch (RuntimeException e) {
      throw RefineryException.userError("Cannot read Parquet input %s: %s", files, e.getMessage());
    }
    String textField = options.parquetTextField();
    String idField = options.parquetIdField();
    Set<String> columns = Set.of(frame.columns());
    if (!columns.contains(textField)) {
      throw RefineryException.userError(
          "Cannot ingest Parquet files %s: no column '%s' (ingest.parquet.text-field); columns are %s", files,
          textField, List.of(frame.columns()));
    }
    List<Column> metaKeys = new ArrayList<>();
    List<Column> metaValues = new ArrayList<>();
    for (StructField field : frame.schema().fields()) {
      String name = field.name();
      if (!name.equals(textField) && !name.equals(idField) && !name.startsWith("_")
          && !(field.dataType() instanceof org.apache.spark.sql.types.StructType)
          && !(field.dataType() instanceof org.apache.spark.sql.types.ArrayType)
          && !(field.dataType() instanceof org.apache.spark.sql.types.MapType)) {
        metaKeys.add(lit(name));
        metaValues.add(org.apache.spark.sql.functions.coalesce(col("`" + name + "`").cast("string"), lit("")));
      }
    }
    Column text = col("`" + textField + "`").cast("string");
    Column sourceId = columns.contains(idField)
        ? org.apache.spark.sql.functions.coalesce(col("`" + idField + "`").cast("string"),
            org.apache.spark.sql.functions.concat(lit("row-"), col("_row").cast("string")))
        : org.apache.spark.sql.functions.concat(lit("row-"), col("_row").cast("string"));
    Column source = options.sourceName().map(s -> lit(s))
        .orElse(org.apache.spark.sql.functions.element_at(org.apache.spark.sql.functions.split(col("_file"), "/"), -1));
    Column bytes = org.apache.spark.sql.functions.octet_length(text);
    Column error = when(text.isNull(), lit("missing text field '" + textField + "'"))
        .when(org.apache.spark.sql.functions.trim(text).equalTo(""), lit("empty text"))
        .when(bytes.gt(options.maxDocumentBytes()),
            org.apache.spark.sql.functions.concat(lit("document too large: "), bytes.cast("string"),
                lit(" bytes exceeds ingest.max-document-bytes")));
    Column meta = metaKeys.isEmpty()
        ? org.apache.spark.sql.functions.map().cast(DataTypes.createMapType(StringType, StringType))
        : map_from_arrays(array(metaKeys.toArray(Column[]::new)), array(metaValues.toArray(Column[]::new)));
    return frame.select(
        col("_file").as("file"),
        col("_row").cast("long").as("ordinal"),
        org.apache.spark.sql.functions.concat(lit("row "), col("_row").cast("string")).as("position"),
        source.as("source"),
        sourceId.as("source_id"),
        org.apache.spark.sql.functions.substring(
            org.apache.spark.sql.functions.sha2(org.apache.spark.sql.functions.concat_ws("\u0000", lit("doc"), source,
                sourceId), 256), 1, 32).as("doc_id"),
        text.as("text"),
        meta.as("meta"),
        error.as("error"),
        lit(null).cast("string").as("drop_reason"),
        when(error.isNotNull(), org.apache.spark.sql.functions.substring(text, 1, 4096)).as("raw"));
  }
}
