package dev.refinery.llm;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.llm.ChatMessage;
import dev.refinery.core.llm.ChatRequest;
import dev.refinery.core.llm.ChatResponse;
import dev.refinery.core.llm.LlmCallException;
import dev.refinery.core.llm.LlmClient;
import dev.refinery.core.llm.LlmClientFactory;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.LlmSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The call cache with the real local model behind a counting wrapper: what was answered is never called
 * again, failures are recorded and retried on the next run, and a run killed halfway keeps its committed
 * batches.
 */
class LlmCallCacheTest {
  /** Every prompt the wrapper passed to the model, per test (static: tasks run in this JVM). */
  static final Map<String, List<String>> CALLS = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> BUDGET = new ConcurrentHashMap<>();

  /** Answers through the real local model; after {@code failAfter} calls it fails (or kills the task). */
  record CountingFactory(String testId, LlmClientFactory real, int failAfter, boolean kill)
      implements LlmClientFactory {
    @Override
    public String modelId() {
      return real.modelId();
    }

    @Override
    public LlmClient get() {
      LlmClient delegate = real.get();
      return new LlmClient() {
        @Override
        public String modelId() {
          return delegate.modelId();
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
          if (BUDGET.computeIfAbsent(testId, k -> new AtomicInteger()).incrementAndGet() > failAfter) {
            if (kill) {
              throw new SimulatedCrash();
            }
            throw new LlmCallException("Cannot call the test model: injected failure", 3, true, null);
          }
          CALLS.computeIfAbsent(testId, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
              .add(request.messages().get(0).content());
          return delegate.chat(request);
        }
      };
    }
  }

  /** Stands for the executor dying: an Error is not turned into a failed row. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;
  }

  private static final StructType INPUT = DataTypes.createStructType(List.of(
      DataTypes.createStructField("id", DataTypes.StringType, false),
      DataTypes.createStructField("request", LlmSchemas.REQUEST, false),
      DataTypes.createStructField("sample_index", DataTypes.IntegerType, false)));

  private static Dataset<Row> requests(SparkSession spark, int count) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ChatRequest request = new ChatRequest(List.of(ChatMessage.user("Name a fruit. Number " + i)), 0.7, 0.95, 6,
          List.of(), 100 + i, 1, false, 0);
      rows.add(RowFactory.create("r" + i, LlmRequests.toRow(request),
          0));
    }
    // A duplicate request: answered once, joined back twice.
    rows.add(RowFactory.create("dup", rows.get(0).get(1), 0));
    return spark.createDataFrame(rows, INPUT);
  }

  private static LlmCallCache cache(SparkSession spark, RefineryConfig config, LlmClientFactory factory, int every) {
    return cache(spark, config, factory, every, 2);
  }

  private static LlmCallCache cache(SparkSession spark, RefineryConfig config, LlmClientFactory factory, int every,
      int partitions) {
    return new LlmCallCache(spark, new Lakehouse(spark, config), factory,
        new LlmCallCache.Options(partitions, every, Duration.ofSeconds(30), 1, Duration.ofSeconds(10)), "run-1",
        "test");
  }

  private static LlmClientFactory real() {
    return new ConfiguredLlmClientFactory(LlmSettings.fromConfig(RefineryConfig.defaults()));
  }

  private static Map<String, String> answers(Dataset<Row> done) {
    Map<String, String> out = new TreeMap<>();
    for (Row row : done.select(col("id"), col("llm.status"), col("llm.response")).collectAsList()) {
      out.put(row.getString(0), row.getString(1) + ":" + row.getString(2));
    }
    return out;
  }

  @Test
  void failedCallsAreRecordedAndOnlyThoseAreCalledOnTheNextRun() {
    SparkSession spark = SharedSpark.session();
    RefineryConfig config = SharedSpark.config();
    Dataset<Row> input = requests(spark, 5);

    Dataset<Row> first = cache(spark, config, new CountingFactory("fail-1", real(), 3, false), 2)
        .complete(input, "first");
    Map<String, String> firstAnswers = answers(first);
    List<String> firstCalls = List.copyOf(CALLS.get("fail-1"));

    assertThat(firstCalls).hasSize(3);
    assertThat(firstAnswers.values().stream().filter(a -> a.startsWith("ok:")).count()).isBetween(3L, 4L);
    assertThat(firstAnswers.get("dup")).isEqualTo(firstAnswers.get("r0"));
    Dataset<Row> calls = new Lakehouse(spark, config).read(Tables.LLM_CALLS);
    assertThat(calls.count()).isEqualTo(5);
    Row failed = calls.filter(col("status").equalTo("failed")).first();
    assertThat(failed.<String>getAs("error")).isEqualTo("Cannot call the test model: injected failure");
    assertThat(failed.<Integer>getAs("attempts")).isEqualTo(3);

    LlmCallCache second = cache(spark, config, new CountingFactory("fail-2", real(), 100, false), 2);
    Map<String, String> secondAnswers = answers(second.complete(input, "second"));

    List<String> secondCalls = CALLS.get("fail-2");
    assertThat(secondCalls).hasSize(2).doesNotContainAnyElementsOf(firstCalls);
    assertThat(secondAnswers.values()).allMatch(a -> a.startsWith("ok:"));
    firstAnswers.forEach((id, answer) -> {
      if (answer.startsWith("ok:")) {
        assertThat(secondAnswers.get(id)).isEqualTo(answer);
      }
    });
    assertThat(new Lakehouse(spark, config).read(Tables.LLM_CALLS).filter(col("attempts").equalTo(4)).count())
        .isEqualTo(2);
    assertThat(second.totals().made()).isEqualTo(2);
    assertThat(second.totals().cached()).isEqualTo(3);

    LlmCallCache third = cache(spark, config, new CountingFactory("fail-3", real(), 0, true), 2);
    assertThat(answers(third.complete(input, "third"))).isEqualTo(secondAnswers);
    assertThat(CALLS.get("fail-3")).isNull();
  }

  @Test
  void aRunKilledHalfwayKeepsItsCommittedBatchesAndTheRerunNeverRepeatsThem() {
    SparkSession spark = SharedSpark.session();
    RefineryConfig config = SharedSpark.config();
    Dataset<Row> input = requests(spark, 6);

    assertThatThrownBy(() -> cache(spark, config, new CountingFactory("kill-1", real(), 4, true), 1)
        .complete(input, "killed"));
    Lakehouse lakehouse = new Lakehouse(spark, config);
    Set<String> committed = lakehouse.read(Tables.LLM_CALLS).filter(col("status").equalTo("ok"))
        .select(col("request_json")).collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet());
    // One call per batch: the batches before the crash are committed, the one in flight is lost.
    assertThat(committed).hasSize(4);

    cache(spark, config, new CountingFactory("kill-2", real(), 100, false), 1).complete(input, "rerun");

    List<String> rerunCalls = CALLS.get("kill-2");
    assertThat(rerunCalls).hasSize(2);
    for (String prompt : rerunCalls) {
      assertThat(committed).noneMatch(json -> json.contains(prompt));
    }
    assertThat(lakehouse.read(Tables.LLM_CALLS).filter(col("status").equalTo("ok")).count()).isEqualTo(6);
  }

  @Test
  void answersOfARunKilledBeforeItsFirstCommitAreJournaledAndNeverPaidAgain() throws Exception {
    SparkSession spark = SharedSpark.session();
    RefineryConfig config = SharedSpark.config();
    Dataset<Row> input = requests(spark, 6);

    // One batch (nothing committed before the crash), one task calling one at a time: 4 answers, then the crash.
    assertThatThrownBy(() -> cache(spark, config, new CountingFactory("journal-1", real(), 4, true), 100, 1)
        .complete(input, "killed"));
    Lakehouse lakehouse = new Lakehouse(spark, config);
    assertThat(lakehouse.read(Tables.LLM_CALLS).count()).as("no batch was committed").isZero();
    java.nio.file.Path journal = java.nio.file.Path.of(lakehouse.root(), AnswerJournal.DIRECTORY);
    try (var files = java.nio.file.Files.walk(journal)) {
      assertThat(files.filter(f -> f.toString().endsWith(".jsonl")).count()).isEqualTo(1);
    }

    LlmCallCache rerun = cache(spark, config, new CountingFactory("journal-2", real(), 100, false), 100, 1);
    Map<String, String> answers = answers(rerun.complete(input, "rerun"));

    assertThat(CALLS.get("journal-2")).hasSize(2).doesNotContainAnyElementsOf(CALLS.get("journal-1"));
    assertThat(answers).hasSize(7).allSatisfy((id, answer) -> assertThat(answer).startsWith("ok:"));
    assertThat(lakehouse.read(Tables.LLM_CALLS).count()).isEqualTo(6);
    assertThat(rerun.totals().cached()).isEqualTo(4);
    try (var files = java.nio.file.Files.walk(journal)) {
      assertThat(files.filter(f -> f.toString().endsWith(".jsonl")).count()).as("folded, then deleted").isZero();
    }
  }

  @Test
  void aRetriedTaskTakesWhatItsKilledAttemptWasAnsweredFromTheJournal() throws Exception {
    SparkSession spark = SharedSpark.session();
    RefineryConfig config = SharedSpark.config();
    Lakehouse lakehouse = new Lakehouse(spark, config);
    LlmCallCache first = cache(spark, config, new CountingFactory("retry-1", real(), 100, false), 100, 1);
    List<Row> answered = first.complete(requests(spark, 2), "first").select("request_hash").distinct()
        .join(lakehouse.read(Tables.LLM_CALLS), "request_hash").select(
            java.util.Arrays.stream(LlmSchemas.LLM_CALLS.fieldNames()).map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new)).collectAsList();
    assertThat(answered).hasSize(2);

    // The killed attempt's file: two answers, then a line cut off by the kill.
    AnswerJournal journal = AnswerJournal.of(spark, lakehouse, Duration.ofSeconds(10));
    String batch = journal.batch("test-batch");
    try (AnswerJournal.Writer writer = journal.open(batch)) {
      answered.forEach(writer::append);
    }
    java.nio.file.Path file;
    try (var files = java.nio.file.Files.walk(java.nio.file.Path.of(batch))) {
      file = files.filter(f -> f.toString().endsWith(".jsonl")).findFirst().orElseThrow();
    }
    java.nio.file.Files.writeString(file, "{\"request_hash\":\"abc", java.nio.file.StandardOpenOption.APPEND);

    CountingFactory counting = new CountingFactory("retry-2", real(), 100, false);
    LlmCallCache.CallPartition retried = new LlmCallCache.CallPartition(counting,
        new LlmCallCache.Options(1, 100, Duration.ofSeconds(30), 1, Duration.ofSeconds(10)), "run-2", "p", "test", 3,
        spark.sparkContext().longAccumulator(), spark.sparkContext().longAccumulator(),
        spark.sparkContext().longAccumulator(), spark.sparkContext().longAccumulator(),
        spark.sparkContext().longAccumulator(), spark.sparkContext().longAccumulator(), journal, null)
        .inBatch(batch);
    List<Row> inputs = new ArrayList<>();
    Dataset<Row> three = requests(spark, 3).where("id <> 'dup'")
        .withColumn("request_hash", first.requestHash(col("request"), col("sample_index")))
        .withColumn("request_json", org.apache.spark.sql.functions.to_json(col("request")))
        .withColumn("prior_attempts", org.apache.spark.sql.functions.lit(null).cast("int"));
    three.collectAsList().forEach(inputs::add);
    List<Row> out = new ArrayList<>();
    retried.call(inputs.iterator()).forEachRemaining(out::add);

    assertThat(CALLS.get("retry-2")).as("only the request no attempt was answered").hasSize(1);
    assertThat(out).hasSize(3).allSatisfy(row -> assertThat(row.getString(4)).isEqualTo(LlmSchemas.STATUS_OK));
    Map<String, String> byHash = new TreeMap<>();
    out.forEach(row -> byHash.put(row.getString(0), row.getString(5)));
    answered.forEach(row -> assertThat(byHash.get(row.getString(0))).isEqualTo(row.getString(5)));
  }
}
