package dev.refinery.dedup.semantic;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;

import dev.refinery.core.model.Embedder;
import dev.refinery.core.model.EmbedderFactory;
import dev.refinery.core.table.DedupSchemas;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Step 1 of semantic dedup: embeddings, cached in {@code embeddings} keyed by (doc_id, model). Documents
 * whose (doc_id, model, text hash) is already cached are not embedded again; the rest are embedded in
 * batches per partition with the executor's shared embedder, and upserted (a changed text replaces its
 * stale vector).
 */
public final class EmbeddingStep {
  private EmbeddingStep() {}

  /** What the step did. */
  public record Counts(long embedded, long cached) {}

  /** @param documents columns doc_id, text */
  public static Counts run(Lakehouse lakehouse, Dataset<Row> documents, EmbedderFactory factory, int batchSize,
      String runId) {
    String model = factory.modelId();
    Dataset<Row> hashed = documents.select(col("doc_id"), col("text"),
        substring(sha2(col("text"), 256), 1, 32).as("text_hash"));
    Dataset<Row> missing = hashed;
    if (lakehouse.exists(Tables.EMBEDDINGS)) {
      Dataset<Row> cached = lakehouse.read(Tables.EMBEDDINGS).where(col("model").equalTo(model))
          .select("doc_id", "text_hash");
      missing = hashed.join(cached, hashed.col("doc_id").equalTo(cached.col("doc_id"))
          .and(hashed.col("text_hash").equalTo(cached.col("text_hash"))), "left_anti");
    }
    Dataset<Row> embedded = missing.mapPartitions(embedPartition(factory, batchSize, runId),
        Encoders.row(DedupSchemas.EMBEDDINGS)).cache();
    try {
      long count = embedded.count();
      if (count > 0 || !lakehouse.exists(Tables.EMBEDDINGS)) {
        lakehouse.upsert(Tables.EMBEDDINGS, embedded, List.of("doc_id", "model"));
      }
      return new Counts(count, documents.count() - count);
    } finally {
      embedded.unpersist();
    }
  }

  private static MapPartitionsFunction<Row, Row> embedPartition(EmbedderFactory factory, int batchSize,
      String runId) {
    String model = factory.modelId();
    return rows -> new Iterator<>() {
      private final List<Row> pending = new ArrayList<>();
      private Iterator<Row> ready = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        if (ready.hasNext()) {
          return true;
        }
        if (!rows.hasNext()) {
          return false;
        }
        pending.clear();
        while (rows.hasNext() && pending.size() < batchSize) {
          pending.add(rows.next());
        }
        List<String> texts = new ArrayList<>(pending.size());
        pending.forEach(r -> texts.add(r.getString(1)));
        Embedder embedder = factory.get();
        float[][] vectors = embedder.embed(texts);
        List<Row> out = new ArrayList<>(pending.size());
        for (int i = 0; i < pending.size(); i++) {
          Row r = pending.get(i);
          out.add(RowFactory.create(r.getString(0), model, r.getString(2),
              scala.collection.immutable.ArraySeq.unsafeWrapArray(vectors[i]), runId));
        }
        ready = out.iterator();
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.next();
      }
    };
  }

  /** Embeddings of {@code documents} for {@code model}: doc_id, embedding. */
  public static Dataset<Row> read(Lakehouse lakehouse, String model) {
    return lakehouse.read(Tables.EMBEDDINGS).where(col("model").equalTo(lit(model)))
        .select("doc_id", "embedding");
  }
}
