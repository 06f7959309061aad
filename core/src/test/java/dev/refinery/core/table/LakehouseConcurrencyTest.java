package dev.refinery.core.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Writers that commit to one table at the same moment, as two runs of an Airflow DAG do. Delta rejects all but
 * the first commit of each round; the lakehouse must retry the others until every row is in, exactly once.
 */
class LakehouseConcurrencyTest {
  private static final int WRITERS = 4;
  private static final int ROWS_EACH = 25;

  private final SparkSession spark = SharedSpark.session();

  @Test
  void concurrentCreatesAndMergesIntoOneTableLoseNothing() throws Exception {
    RefineryConfig config = SharedSpark.config();
    Lakehouse lakehouse = new Lakehouse(spark, config);

    // Round 1 creates the table (ProtocolChangedException for the losers), round 2 merges into it
    // (ConcurrentAppendException): both rounds all at once.
    runAtOnce(writer -> lakehouse.insertNew(Tables.RAW_DOCUMENTS, rows(writer, 0), List.of("id")));
    runAtOnce(writer -> lakehouse.insertNew(Tables.RAW_DOCUMENTS, rows(writer, 1), List.of("id")));

    var table = lakehouse.read(Tables.RAW_DOCUMENTS);
    assertThat(table.count()).isEqualTo(2L * WRITERS * ROWS_EACH);
    assertThat(table.select("id").distinct().count()).isEqualTo(2L * WRITERS * ROWS_EACH);
    assertThat(lakehouse.history(Tables.RAW_DOCUMENTS).count())
        .as("one commit per write, none lost to a conflict").isEqualTo(2L * WRITERS);
  }

  @Test
  void concurrentAppendsAndEmptyTableCreatesAllLand() throws Exception {
    Lakehouse lakehouse = new Lakehouse(spark, SharedSpark.config());

    runAtOnce(writer -> {
      lakehouse.createIfAbsent(Tables.QUARANTINE, rows(0, 0).schema());
      lakehouse.append(Tables.QUARANTINE, rows(writer, 0));
    });

    assertThat(lakehouse.read(Tables.QUARANTINE).count()).isEqualTo((long) WRITERS * ROWS_EACH);
  }

  @Test
  void anErrorThatIsNoConflictIsNotRetried() {
    assertThat(Lakehouse.isConflict(new IllegalStateException("disk full"))).isFalse();
    assertThat(Lakehouse.isConflict(new RuntimeException(new io.delta.exceptions.ConcurrentAppendException("x"))))
        .isTrue();
  }

  private org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows(int writer, int round) {
    long first = ((long) round * WRITERS + writer) * ROWS_EACH;
    return spark.range(first, first + ROWS_EACH).selectExpr("id", "concat('writer ', " + writer + ") AS text");
  }

  /** Runs {@code write} on every writer at once; rethrows the first failure. */
  private static void runAtOnce(java.util.function.IntConsumer write) throws Exception {
    CyclicBarrier start = new CyclicBarrier(WRITERS);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int writer = 0; writer < WRITERS; writer++) {
        int id = writer;
        futures.add(pool.submit(() -> {
          start.await();
          write.accept(id);
          return null;
        }));
      }
      for (Future<?> future : futures) {
        try {
          future.get(5, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof RefineryException refinery ? refinery : e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
