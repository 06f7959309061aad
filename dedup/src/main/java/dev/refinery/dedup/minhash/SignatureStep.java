package dev.refinery.dedup.minhash;

import dev.refinery.core.table.DedupSchemas;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.collection.immutable.ArraySeq;

/**
 * Step 1 of MinHash: one signature per document ({@code minhash_signatures}), with its LSH bucket keys and a
 * numeric document key. Pure per-document work, one pass, no shuffle; the shingler and hasher ship to
 * executors once per task. Bucket keys are computed here, where the signature is a {@code long[]}, rather
 * than in the edge step, which would box every value to read the array back.
 */
public final class SignatureStep {
  private SignatureStep() {}

  /** @param documents columns doc_id, text */
  public static Dataset<Row> signatures(Dataset<Row> documents, Shingler shingler, MinHasher hasher,
      LshParameters lsh, String runId) {
    int bands = lsh.bands();
    int rows = lsh.rows();
    return documents.select("doc_id", "text").mapPartitions(
        (MapPartitionsFunction<Row, Row>) input -> new Iterator<>() {
          // Unique per row, like monotonically_increasing_id(): the task's partition in the upper 31 bits.
          private long nextKey = (long) TaskContext.getPartitionId() << 33;

          @Override
          public boolean hasNext() {
            return input.hasNext();
          }

          @Override
          public Row next() {
            Row row = input.next();
            long[] shingles = shingler.shingles(row.getString(1));
            long[] signature = hasher.signature(shingles);
            long[] buckets = shingles.length == 0 ? new long[0] : MinHasher.bandKeys(signature, bands, rows);
            // The row encoder takes a Scala Seq for array columns; wrapping avoids boxing K values.
            return RowFactory.create(row.getString(0), nextKey++, ArraySeq.unsafeWrapArray(signature),
                ArraySeq.unsafeWrapArray(buckets), shingles.length, runId);
          }
        },
        Encoders.row(DedupSchemas.MINHASH_SIGNATURES));
  }
}
