package dev.refinery.dedup;

import dev.refinery.core.table.DocumentSchemas;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.text.StableIds;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/** Writes {@code raw_documents} (and optionally {@code scored_documents}) for tests. */
public final class TestDocuments {
  private TestDocuments() {}

  public static final String SOURCE = "test";

  public static String docId(String sourceId) {
    return StableIds.docId(SOURCE, sourceId);
  }

  public static void writeRaw(SparkSession spark, Lakehouse lakehouse, List<NearDupCorpus.Doc> docs) {
    List<Row> rows = new ArrayList<>();
    Timestamp now = Timestamp.valueOf("2026-01-01 00:00:00");
    for (NearDupCorpus.Doc doc : docs) {
      rows.add(RowFactory.create(docId(doc.id()), SOURCE, doc.id(), doc.text(),
          CollectionConverters.asScala(Map.<String, String>of()), now, "ingest-run"));
    }
    lakehouse.overwrite(Tables.RAW_DOCUMENTS, spark.createDataFrame(rows, DocumentSchemas.RAW_DOCUMENTS)
        .repartition(2));
  }

  /** The minimal {@code scored_documents} the dedup stages read: doc_id, perplexity, kept, drop_reason. */
  public static void writeScored(SparkSession spark, Lakehouse lakehouse, Map<String, Double> perplexity,
      Map<String, Boolean> kept) {
    StructType schema = new StructType()
        .add("doc_id", DataTypes.StringType, false)
        .add("perplexity", DataTypes.DoubleType, true)
        .add("kept", DataTypes.BooleanType, false)
        .add("drop_reason", DataTypes.StringType, true);
    List<Row> rows = new ArrayList<>();
    perplexity.forEach((id, p) -> rows.add(RowFactory.create(id, p, kept.getOrDefault(id, true),
        kept.getOrDefault(id, true) ? null : "perplexity_high")));
    lakehouse.overwrite(Tables.SCORED_DOCUMENTS, spark.createDataFrame(rows, schema));
  }
}
