package dev.refinery.annotation.judge;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refinery.annotation.agreement.AgreementProvider;
import dev.refinery.annotation.imports.ImportLabelsProvider;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.LlmSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

class JudgeStageTest {
  private static final StructType LLM = new StructType()
      .add("status", DataTypes.StringType).add("response", DataTypes.StringType)
      .add("finish_reason", DataTypes.StringType)
      .add("logprobs", DataTypes.createArrayType(LlmSchemas.TOKEN_LOGPROB))
      .add("prompt_tokens", DataTypes.IntegerType).add("completion_tokens", DataTypes.IntegerType)
      .add("latency_ms", DataTypes.LongType).add("error", DataTypes.StringType)
      .add("attempts", DataTypes.IntegerType);
  private static final StructType ANSWER = new StructType()
      .add("sample_index", DataTypes.IntegerType).add("request_hash", DataTypes.StringType).add("llm", LLM);
  private static final StructType ROW = new StructType()
      .add("pair_id", DataTypes.StringType).add("principle", DataTypes.StringType)
      .add("order_shown", DataTypes.StringType).add("answers", DataTypes.createArrayType(ANSWER));

  private static Row comparison(String order, Row... answers) {
    return new GenericRowWithSchema(new Object[] {"p1", "rl-cai-00", order,
        CollectionConverters.asScala(List.of(answers)).toList()}, ROW);
  }

  private static Row answer(int sample, String text, Object logprobs) {
    Row llm = new GenericRowWithSchema(new Object[] {"ok", text, "stop", logprobs, 10, 3, 5L, null, 1}, LLM);
    return new GenericRowWithSchema(new Object[] {sample, "hash-" + sample, llm}, ANSWER);
  }

  private static Row failedAnswer(int sample) {
    Row llm = new GenericRowWithSchema(new Object[] {"failed", null, null, null, null, null, 5L, "HTTP 500", 4}, LLM);
    return new GenericRowWithSchema(new Object[] {sample, "hash-" + sample, llm}, ANSWER);
  }

  private static Row token(String token, double logprob, Object[][] top) {
    List<Row> alternatives = new java.util.ArrayList<>();
    for (Object[] t : top) {
      alternatives.add(new GenericRowWithSchema(t, LlmSchemas.TOP_LOGPROB));
    }
    return new GenericRowWithSchema(new Object[] {token, logprob,
        CollectionConverters.asScala(alternatives).toList()}, LlmSchemas.TOKEN_LOGPROB);
  }

  @Test
  void softLabelInTheSwappedOrderIsMappedBackToChosen() {
    Row logprobs = token("A", Math.log(0.8), new Object[][] {{"A", Math.log(0.8)}, {"B", Math.log(0.2)}});
    Row outcome = JudgeStage.outcome(comparison("BA",
        answer(0, "(A)", CollectionConverters.asScala(List.of(logprobs)).toList())), "m", 0.0, "run", now());
    Row judgment = outcome.getStruct(0);
    // Shown first in BA is the rejected response: p(first) = 0.8 means p(chosen) = 0.2.
    assertThat(judgment.getString(4)).isEqualTo("B");
    assertThat(judgment.getDouble(5)).isCloseTo(0.2, within(1e-12));
    assertThat(judgment.getString(1)).isEqualTo("ai:m:rl-cai-00:BA");
    assertThat(judgment.getString(3)).isEqualTo("ai:m:rl-cai-00");
    assertThat(judgment.getString(7)).isEqualTo("logprobs");
  }

  @Test
  void sampledTextAnswersGiveTheShareAndUnparseableOnesAreQuarantined() {
    Row outcome = JudgeStage.outcome(comparison("AB", answer(0, "(A)", null), answer(1, "I think (B)", null),
        answer(2, "(A) is better", null), answer(3, "no idea", null)), "m", 0.1, "run", now());
    Row judgment = outcome.getStruct(0);
    assertThat(judgment.getDouble(5)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(judgment.getString(4)).isEqualTo("A");
    assertThat(judgment.getString(7)).isEqualTo("parsed-text");

    Row bad = JudgeStage.outcome(comparison("AB", answer(0, "Both are fine.", null)), "m", 0, "run", now());
    assertThat(bad.isNullAt(0)).isTrue();
    assertThat(bad.isNullAt(1)).isTrue();
    assertThat(bad.getString(4)).isEqualTo("unparseable-answer: neither (A) nor (B)");
    assertThat(bad.getString(5)).isEqualTo("Both are fine.");
  }

  @Test
  void aComparisonWithNoAnsweredCallIsDroppedAsLlmCallFailedAndOneAnsweredSampleIsEnough() {
    Row failed = JudgeStage.outcome(comparison("AB", failedAnswer(0), failedAnswer(1)), "m", 0, "run", now());
    assertThat(failed.isNullAt(0)).isTrue();
    assertThat(failed.getString(1)).isEqualTo("llm_call_failed");
    assertThat(failed.isNullAt(4)).as("not quarantined").isTrue();

    Row partly = JudgeStage.outcome(comparison("AB", failedAnswer(0), answer(1, "(B)", null)), "m", 0, "run", now());
    assertThat(partly.isNullAt(1)).isTrue();
    assertThat(partly.getStruct(0).getString(4)).isEqualTo("B");
  }

  /** The real local model (SmolLM2-135M-Instruct) judges an HH-RLHF pair; a rerun is answered from llm_calls. */
  @Test
  void judgesPairsWithTheLocalModelAndMemoisesCalls() {
    RefineryConfig config = SharedSpark.config()
        .with("import-labels.format", "hh-rlhf")
        .with("import-labels.max-records", 1)
        .with("import-labels.paths", List.of("samples/hh-rlhf/harmless-base/test.jsonl.gz"))
        .with("judge.principles", 1)
        .with("judge.few-shot", 1)
        .with("judge.max-tokens", 4);
    SparkSession spark = SharedSpark.session();
    Lakehouse lakehouse = new Lakehouse(spark, config);
    new StageRunner(spark, config, lakehouse, "run-1").run(new ImportLabelsProvider().create(config));
    long pairs = lakehouse.read(Tables.PREFERENCE_PAIRS).count();

    PipelineRun first = new StageRunner(spark, config, lakehouse, "run-1").run(new JudgeProvider().create(config));
    assertThat(first.result().rowsIn()).isEqualTo(pairs * 2);
    assertThat(first.result().metrics()).containsEntry("llm_made", String.valueOf(pairs * 2));
    assertThat(first.result().rowsOut()).as("judgments written to %s", Tables.JUDGMENTS).isPositive();
    List<Row> judgments = lakehouse.read(Tables.JUDGMENTS).collectAsList();
    assertThat(judgments).hasSize((int) first.result().rowsOut());
    for (Row judgment : judgments) {
      assertThat(judgment.<String>getAs("rater_kind")).isEqualTo("ai");
      assertThat(judgment.<String>getAs("rater_id")).matches("ai:.+:rl-cai-00:(AB|BA)");
      // The local engine gives no log-probabilities: every label is parsed from the text and says so.
      assertThat(judgment.<String>getAs("label_source")).isEqualTo("parsed-text");
      assertThat(judgment.<String>getAs("request_hash")).hasSize(32);
    }
    assertThat(lakehouse.read(Tables.LLM_CALLS).filter(col("status").equalTo("ok")).count()).isEqualTo(pairs * 2);

    PipelineRun again = new StageRunner(spark, config, lakehouse, "run-2").run(new JudgeProvider().create(config));
    assertThat(again.result().metrics()).containsEntry("llm_made", "0");
    assertThat(again.result().rowsOut()).isEqualTo(first.result().rowsOut());
    System.out.println("judge on the local model: " + first.result() + " answers: "
        + lakehouse.read(Tables.LLM_CALLS).select("response").collectAsList());

    PipelineRun agreement = new StageRunner(spark, config, lakehouse, "run-2").run(new AgreementProvider()
        .create(config.with("agreement.bootstrap.resamples", 20)));
    assertThat(agreement.result().rowsIn()).isEqualTo(pairs);
    Row summary = lakehouse.read(Tables.AGREEMENT_SUMMARY).first();
    assertThat(summary.<Row>getList(summary.fieldIndex("position_bias"))).isNotEmpty();
  }

  private static Timestamp now() {
    return Timestamp.from(Instant.now());
  }
}
