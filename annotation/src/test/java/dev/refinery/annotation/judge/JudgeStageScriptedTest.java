package dev.refinery.annotation.judge;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.llm.LlmCallStats;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.PreferenceSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.ScriptedLlm;
import dev.refinery.core.testing.SharedSpark;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Every outcome of a comparison on scripted answers, one pair per case, one principle in both orders: a
 * parseable answer is a judgment, a failed call a drop ({@code llm_call_failed}), an answer naming neither
 * option a quarantine row; then a rerun, which calls only the failed comparisons again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JudgeStageScriptedTest {
  private static final List<String> PAIRS = List.of("keep", "fail", "muddle", "mixed");

  private ScriptedLlm llm;
  private Lakehouse lakehouse;
  private PipelineRun first;
  private PipelineRun again;

  @BeforeAll
  void judgeScriptedPairsTwice() {
    llm = ScriptedLlm.start(JudgeStageScriptedTest::answer);
    RefineryConfig config = llm.configure(SharedSpark.config())
        .with("judge.principles", 1)
        .with("judge.few-shot", 0);
    SparkSession spark = SharedSpark.session();
    lakehouse = new Lakehouse(spark, config);
    List<Row> pairs = new ArrayList<>();
    Timestamp now = new Timestamp(System.currentTimeMillis());
    for (String tag : PAIRS) {
      Row message = RowFactory.create("user", "Question about " + tag);
      pairs.add(RowFactory.create("pair-" + tag, "Question about " + tag,
          CollectionConverters.asScala(List.of(message)).toList(), "Chosen text for " + tag,
          "Rejected text for " + tag, "test", null, "none", tag, null, null, "run-0", now));
    }
    lakehouse.overwrite(Tables.PREFERENCE_PAIRS, spark.createDataFrame(pairs, PreferenceSchemas.PREFERENCE_PAIRS));
    first = new StageRunner(spark, config, lakehouse, "run-1").run(new JudgeProvider().create(config));
    again = new StageRunner(spark, config, lakehouse, "run-2").run(new JudgeProvider().create(config));
  }

  @AfterAll
  void stop() {
    llm.close();
  }

  /** The judge's side: by the pair the question is about and the order its answers are shown in. */
  private static ScriptedLlm.Reply answer(ScriptedLlm.Request request) {
    String question = request.lastUser();
    String tag = PAIRS.stream().filter(t -> question.contains("Question about " + t)).findFirst().orElseThrow();
    boolean chosenFirst = question.contains("(A) Chosen text for " + tag);
    return switch (tag) {
      case "keep" -> ScriptedLlm.text("(A)");
      case "fail" -> ScriptedLlm.fail();
      case "muddle" -> ScriptedLlm.text("I cannot decide.");
      default -> chosenFirst ? ScriptedLlm.text("The answer is (B).") : ScriptedLlm.fail();
    };
  }

  @Test
  void everyComparisonIsJudgedDroppedOrQuarantined() {
    assertThat(first.result().rowsIn()).isEqualTo(PAIRS.size() * 2);
    assertThat(first.result().rowsOut()).isEqualTo(3);
    assertThat(first.result().droppedByReason()).isEqualTo(Map.of("llm_call_failed", 3L));
    assertThat(first.result().rowsQuarantined()).isEqualTo(2);
  }

  @Test
  void parseableAnswersBecomeJudgmentsInTheStoredOrientation() {
    Map<String, String> labels = new TreeMap<>();
    for (Row judgment : lakehouse.read(Tables.JUDGMENTS).collectAsList()) {
      labels.put(judgment.<String>getAs("pair_id") + " " + judgment.<String>getAs("order_shown"),
          judgment.<String>getAs("label") + " " + judgment.<String>getAs("label_source"));
    }
    // "(A)" in BA picks the rejected response, shown first.
    assertThat(labels).isEqualTo(Map.of(
        "pair-keep AB", "A parsed-text",
        "pair-keep BA", "B parsed-text",
        "pair-mixed AB", "B parsed-text"));
  }

  @Test
  void failedCallsAreDroppedNotQuarantinedAndTheirCallsKeepTheError() {
    assertThat(lakehouse.read(Tables.QUARANTINE).filter(col("reason").startsWith("llm")).count()).isZero();
    List<Row> failed = lakehouse.read(Tables.LLM_CALLS).filter(col("status").equalTo("failed")).collectAsList();
    assertThat(failed).hasSize(3);
    for (Row call : failed) {
      assertThat(call.<String>getAs("error")).contains("HTTP 503");
      // Two attempts in each of the two runs.
      assertThat(call.<Integer>getAs("attempts")).isEqualTo(2 * ScriptedLlm.MAX_ATTEMPTS);
    }
  }

  @Test
  void answersNamingNeitherOptionAreQuarantinedWithTheText() {
    List<Row> quarantined = lakehouse.read(Tables.QUARANTINE).orderBy("position").collectAsList();
    assertThat(quarantined).extracting(r -> r.<String>getAs("position"))
        .containsExactly("pair-muddle rl-cai-00 AB", "pair-muddle rl-cai-00 BA");
    for (Row row : quarantined) {
      assertThat(row.<String>getAs("stage")).isEqualTo("judge");
      assertThat(row.<String>getAs("reason")).isEqualTo("unparseable-answer: neither (A) nor (B)");
      assertThat(row.<String>getAs("raw")).isEqualTo("I cannot decide.");
    }
  }

  @Test
  void recordsTheLlmMetrics() {
    LlmCallStats calls = LlmCallStats.fromMetrics(first.result().metrics());
    assertThat(calls.requests()).isEqualTo(8);
    assertThat(calls.made()).isEqualTo(8);
    assertThat(calls.cached()).isZero();
    assertThat(calls.failed()).isEqualTo(3);
    assertThat(calls.retries()).isEqualTo(3);
    // The rerun's calls all failed, so what the endpoint served is the first run's: "(A)" twice, "I cannot
    // decide." twice, "The answer is (B)." once.
    assertThat(calls.completionTokens()).isEqualTo(llm.completionTokensServed()).isEqualTo(1 + 1 + 3 + 3 + 4);
    assertThat(calls.promptTokens()).isEqualTo(llm.promptTokensServed()).isPositive();
  }

  @Test
  void aRerunCallsOnlyTheFailedComparisonsAgainAndCountsTheSame() {
    LlmCallStats calls = LlmCallStats.fromMetrics(again.result().metrics());
    assertThat(calls.made()).isEqualTo(3);
    assertThat(calls.failed()).isEqualTo(3);
    assertThat(calls.cached()).isEqualTo(5);
    assertThat(again.result().droppedByReason()).isEqualTo(first.result().droppedByReason());
    assertThat(again.result().rowsOut()).isEqualTo(first.result().rowsOut());
    assertThat(again.result().rowsQuarantined()).isEqualTo(2);
    assertThat(lakehouse.read(Tables.JUDGMENTS).count()).isEqualTo(3);
  }
}
