package dev.refinery.dedup.minhash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.table.DedupSchemas;
import dev.refinery.core.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import scala.collection.immutable.ArraySeq;

class EdgeStepTest {
  /** A signatures table with the given bucket keys per document; doc_key order is a < b < c < ... */
  private static Dataset<Row> signatures(long[]... bucketsPerDoc) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < bucketsPerDoc.length; i++) {
      String docId = String.valueOf((char) ('a' + i));
      rows.add(RowFactory.create(docId, (long) i, ArraySeq.unsafeWrapArray(new long[] {i}),
          ArraySeq.unsafeWrapArray(bucketsPerDoc[i]), bucketsPerDoc[i].length, "run"));
    }
    return SharedSpark.session().createDataFrame(rows, DedupSchemas.MINHASH_SIGNATURES);
  }

  private static Set<String> edges(Dataset<Row> candidates) {
    Set<String> out = new TreeSet<>();
    for (Row row : candidates.collectAsList()) {
      assertThat(row.getString(0)).as("src > dst").isGreaterThan(row.getString(1));
      assertThat(out.add(row.getString(0) + "-" + row.getString(1))).as("distinct").isTrue();
    }
    return out;
  }

  @Test
  void smallBucketsGiveAllPairsSoADissimilarCentreCannotCutThemApart() {
    // Bucket 7 holds a, b and c; b and c also share bucket 9; d shares nothing.
    Dataset<Row> signatures = signatures(new long[] {7}, new long[] {7, 9}, new long[] {7, 9}, new long[] {5});
    assertThat(edges(EdgeStep.candidates(signatures, 8))).containsExactly("b-a", "c-a", "c-b");
  }

  @Test
  void largeBucketsGiveAStarToTheSmallestKey() {
    long[][] buckets = new long[6][];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new long[] {42};
    }
    // Six documents in one bucket with at most 5 for all pairs: 5 spokes to a, not 15 pairs.
    assertThat(edges(EdgeStep.candidates(signatures(buckets), 5)))
        .containsExactly("b-a", "c-a", "d-a", "e-a", "f-a");
    assertThat(edges(EdgeStep.candidates(signatures(buckets), 6))).hasSize(15);
  }
}
