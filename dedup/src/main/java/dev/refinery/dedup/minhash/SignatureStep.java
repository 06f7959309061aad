package dev.refinery.dedup.minhash;

import dev.refinery.core.table.DedupSchemas;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Step 1 of MinHash: one signature per document ({@code minhash_signatures}). Pure per-document work, one
 * pass, no shuffle; the shingler and hasher ship to executors once per task.
 */
public final class SignatureStep {
  private SignatureStep() {}

  /** @param documents columns doc_id, text */
  public static Dataset<Row> signatures(Dataset<Row> documents, Shingler shingler, MinHasher hasher,
      String runId) {
    return documents.select("doc_id", "text").mapPartitions(
        (MapPartitionsFunction<Row, Row>) rows -> new Iterator<>() {
          @Override
          public boolean hasNext() {
            return rows.hasNext();
          }

          @Override
          public Row next() {
            Row row = rows.next();
            long[] shingles = shingler.shingles(row.getString(1));
            long[] signature = hasher.signature(shingles);
            // The row encoder takes a Scala Seq for array columns; wrapping avoids boxing K values.
            return RowFactory.create(row.getString(0), scala.collection.immutable.ArraySeq.unsafeWrapArray(signature),
                shingles.length, runId);
          }
        },
        Encoders.row(DedupSchemas.MINHASH_SIGNATURES));
  }
}
