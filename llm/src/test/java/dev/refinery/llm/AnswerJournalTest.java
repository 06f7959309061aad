package dev.refinery.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Folding a dead run's journal into llm_calls, and leaving a live run's alone: a batch whose driver is alive is
 * about to be committed by that driver, and folding it too would write its answers twice.
 */
class AnswerJournalTest {
  private final SparkSession spark = SharedSpark.session();
  private final Lakehouse lakehouse = new Lakehouse(spark, SharedSpark.config());
  private final AnswerJournal journal = AnswerJournal.of(spark, lakehouse, Duration.ofSeconds(10));

  private static Row answer(String hash) {
    return RowFactory.create(hash, "m", "{}", 0, "ok", "answer " + hash, "stop", null, 3, 2, 10L, null, 1, "run-1",
        new Timestamp(0));
  }

  private void journal(String batch, String... hashes) {
    try (AnswerJournal.Writer writer = journal.open(journal.batch(batch))) {
      for (String hash : hashes) {
        writer.append(answer(hash));
      }
    }
  }

  private long cached() {
    return lakehouse.exists(Tables.LLM_CALLS) ? lakehouse.read(Tables.LLM_CALLS).count() : 0;
  }

  @Test
  void aLiveRunsBatchIsLeftAloneUntilItsLeaseIsReleased() {
    AnswerJournal.Lease lease = journal.lease(journal.batch("live"));
    journal("live", "a", "b");
    journal("dead", "c");

    assertThat(journal.fold(spark, lakehouse)).isEqualTo(1);
    assertThat(cached()).isEqualTo(1);
    assertThat(journal.answered(journal.batch("live"))).containsOnlyKeys("a", "b");

    lease.close(); // the run failed: its answers are the next run's to fold
    assertThat(journal.fold(spark, lakehouse)).isEqualTo(2);
    assertThat(cached()).isEqualTo(3);
    assertThat(Path.of(lakehouse.root(), AnswerJournal.DIRECTORY)).isEmptyDirectory();
    assertThat(journal.fold(spark, lakehouse)).isZero();
  }

  @Test
  void aDriverKilledOnThisHostOrSilentElsewhereNoLongerHoldsItsBatch() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path dir = Path.of(lakehouse.root(), AnswerJournal.DIRECTORY);
    journal("killed", "a");
    Files.writeString(dir.resolve("killed/_driver"), localHost() + "\t" + gone.pid(), StandardCharsets.UTF_8);
    journal("elsewhere-fresh", "b");
    Files.writeString(dir.resolve("elsewhere-fresh/_driver"), "other-host\t1", StandardCharsets.UTF_8);
    journal("elsewhere-stale", "c");
    Path stale = dir.resolve("elsewhere-stale/_driver");
    Files.writeString(stale, "other-host\t1", StandardCharsets.UTF_8);
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(AnswerJournal.LEASE_EXPIRY.plusSeconds(5))));

    assertThat(journal.fold(spark, lakehouse)).isEqualTo(2);
    assertThat(lakehouse.read(Tables.LLM_CALLS).select("request_hash").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList()).containsExactlyInAnyOrder("a", "c");
    assertThat(dir.resolve("elsewhere-fresh")).exists();
  }

  private static String localHost() throws Exception {
    return java.net.InetAddress.getLocalHost().getHostName();
  }
}
