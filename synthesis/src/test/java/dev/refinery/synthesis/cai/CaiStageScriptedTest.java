package dev.refinery.synthesis.cai;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.llm.LlmCallStats;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.ScriptedLlm;
import dev.refinery.core.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every branch of the stage on scripted model output: one red-team prompt per case, each named by a tag the
 * script reads back from the request, in one run of the stage (one round). Each test checks one drop reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaiStageScriptedTest {
  private static final List<String> TAGS = List.of("keep-plain", "keep-flaky", "empty-initial", "bad-critique",
      "bad-revision", "unchanged", "fail-initial", "fail-critique", "fail-revision", "cut-initial", "cut-revision",
      "critique-revision", "shorter", "refusal");

  private ScriptedLlm llm;
  private Lakehouse lakehouse;
  private PipelineRun run;

  @BeforeAll
  void runTheStageOnScriptedAnswers() throws IOException {
    llm = ScriptedLlm.start(CaiStageScriptedTest::answer);
    Path prompts = Files.createTempFile("cai-prompts-", ".jsonl");
    StringBuilder lines = new StringBuilder();
    for (String tag : TAGS) {
      lines.append("{\"chosen\": \"\\n\\nHuman: Tell me about ").append(tag).append("\\n\\nAssistant: ok\"}\n");
    }
    Files.writeString(prompts, lines, StandardCharsets.UTF_8);
    RefineryConfig config = llm.configure(SharedSpark.config())
        .with("cai.hh-rlhf-path", prompts.toString())
        .with("cai.cai-samples-dir", "")
        .with("cai.max-prompts", TAGS.size())
        .with("cai.rounds", 1)
        .with("cai.few-shot-examples", 0);
    SparkSession spark = SharedSpark.session();
    lakehouse = new Lakehouse(spark, config);
    run = new StageRunner(spark, config, lakehouse, "run-1")
        .run(StageCatalog.discover().resolve(List.of("cai"), config).get(0));
  }

  @AfterAll
  void stop() {
    llm.close();
  }

  /** The model's side: initial answer, critique or revision, by the prompt's tag. */
  private static ScriptedLlm.Reply answer(ScriptedLlm.Request request) {
    String all = request.messages().toString();
    String tag = TAGS.stream().filter(all::contains).findFirst().orElseThrow();
    String last = request.lastUser();
    String kind = request.messages().size() == 1 ? "initial"
        : last.startsWith("RevisionRequest:") ? "revision" : "critique";
    if (tag.equals("fail-" + kind)) {
      return ScriptedLlm.fail();
    }
    if (tag.equals("cut-" + kind)) {
      // The token budget ran out in the middle of the answer (finish reason length).
      return ScriptedLlm.truncated(kind.equals("initial") ? "Initial answer about " + tag + ", and then the"
          : "Revision: A careful answer about " + tag + " that goes on and");
    }
    String text = switch (kind) {
      case "initial" -> tag.equals("empty-initial") ? "Assistant:" : "Initial answer about " + tag + ".";
      case "critique" -> tag.equals("bad-critique") ? "Critique:" : "Critique: too terse about " + tag + ".";
      default -> tag.equals("bad-revision") ? "Revision:   "
          : tag.equals("unchanged") ? "Revision: Initial answer about " + tag + "."
          : tag.equals("critique-revision") ? "Revision: In my last response, I was too terse about " + tag + "."
          : tag.equals("shorter") ? "Revision: initial answer about " + tag
          : tag.equals("refusal") ? "Revision: I'm sorry, but I can't help with " + tag + "."
          : "Revision: A careful answer about " + tag + ".\n\nCritiqueRequest: the model rambling on";
    };
    return tag.equals("keep-flaky") ? ScriptedLlm.flaky(text) : ScriptedLlm.text(text);
  }

  @Test
  void countsEveryPromptOnceAndKeepsOnlyTheCleanOnes() {
    assertThat(run.result().rowsIn()).isEqualTo(TAGS.size());
    // keep-plain, keep-flaky, and refusal (a harmlessness revision may decline: cai.drop-refusals = false).
    assertThat(run.result().rowsOut()).isEqualTo(3);
    assertThat(run.result().droppedByReason()).containsOnlyKeys("empty_initial_response", "unparseable_critique",
        "unparseable_revision", "revision_unchanged", "llm_call_failed", "truncated", "revision_is_critique",
        "chosen_in_rejected");
  }

  @Test
  void keptPromptsBecomePairsOfFinalRevisionOverInitialAnswer() {
    Map<String, String[]> pairs = new TreeMap<>();
    for (Row pair : lakehouse.read(Tables.PREFERENCE_PAIRS).collectAsList()) {
      pairs.put(pair.<String>getAs("prompt"), new String[] {pair.getAs("chosen"), pair.getAs("rejected")});
    }
    assertThat(pairs).containsOnlyKeys("Tell me about keep-flaky", "Tell me about keep-plain", "Tell me about refusal");
    // The revision is cut where the model starts the next part of the dialogue on its own.
    assertThat(pairs.get("Tell me about keep-plain"))
        .containsExactly("A careful answer about keep-plain.", "Initial answer about keep-plain.");
    assertThat(pairs.get("Tell me about keep-flaky"))
        .containsExactly("A careful answer about keep-flaky.", "Initial answer about keep-flaky.");
    Row revision = lakehouse.read(Tables.CAI_REVISIONS).filter(col("prompt").equalTo("Tell me about keep-plain"))
        .first();
    Row round = revision.<Row>getList(revision.fieldIndex("rounds")).get(0);
    assertThat(round.<String>getAs("critique")).isEqualTo("too terse about keep-plain.");
    assertThat(lakehouse.read(Tables.CAI_REVISIONS).count()).isEqualTo(3);
  }

  @Test
  void anInitialAnswerOrARevisionCutOffByTheTokenBudgetIsDropped() {
    assertThat(run.result().droppedByReason()).contains(entry("truncated", 2L));
  }

  @Test
  void aCritiqueGivenAsTheRevisionIsDropped() {
    assertThat(run.result().droppedByReason()).contains(entry("revision_is_critique", 1L));
  }

  @Test
  void aRevisionThatIsAPieceOfTheInitialAnswerIsDropped() {
    assertThat(run.result().droppedByReason()).contains(entry("chosen_in_rejected", 1L));
  }

  @Test
  void aRefusingRevisionIsKeptUnlessRefusalsAreDropped() {
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).filter(col("prompt").equalTo("Tell me about refusal"))
        .first().<String>getAs("chosen")).isEqualTo("I'm sorry, but I can't help with refusal.");
  }

  @Test
  void emptyInitialResponseIsDropped() {
    assertThat(run.result().droppedByReason()).contains(entry("empty_initial_response", 1L));
  }

  @Test
  void unparseableCritiqueIsDropped() {
    assertThat(run.result().droppedByReason()).contains(entry("unparseable_critique", 1L));
  }

  @Test
  void unparseableRevisionIsDropped() {
    assertThat(run.result().droppedByReason()).contains(entry("unparseable_revision", 1L));
  }

  @Test
  void revisionEqualToTheInitialAnswerIsDropped() {
    assertThat(run.result().droppedByReason()).contains(entry("revision_unchanged", 1L));
  }

  @Test
  void failedCallsAtEveryStepAreDroppedUnderOneReasonAndRecordedWithTheirError() {
    assertThat(run.result().droppedByReason()).contains(entry("llm_call_failed", 3L));
    assertThat(run.result().rowsQuarantined()).isZero();
    List<Row> failed = lakehouse.read(Tables.LLM_CALLS).filter(col("status").equalTo("failed")).collectAsList();
    assertThat(failed).hasSize(3);
    for (Row call : failed) {
      assertThat(call.<String>getAs("error")).contains("HTTP 503");
      assertThat(call.<Integer>getAs("attempts")).isEqualTo(ScriptedLlm.MAX_ATTEMPTS);
    }
  }

  @Test
  void recordsTheLlmMetrics() {
    LlmCallStats calls = LlmCallStats.fromMetrics(run.result().metrics());
    // 14 initial answers; 11 critiques (not empty-, fail- or cut-initial); 9 revisions (not bad- or fail-critique).
    assertThat(calls.requests()).isEqualTo(34);
    assertThat(calls.made()).isEqualTo(34);
    assertThat(calls.cached()).isZero();
    assertThat(calls.failed()).isEqualTo(3);
    // One retry per failed call, one per flaky call (initial, critique, revision).
    assertThat(calls.retries()).isEqualTo(3 + 3);
    assertThat(calls.promptTokens()).isEqualTo(llm.promptTokensServed()).isPositive();
    assertThat(calls.completionTokens()).isEqualTo(llm.completionTokensServed()).isPositive();
    assertThat(calls.seconds()).isPositive();
    assertThat(run.result().metrics()).containsKeys(LlmCallStats.METRICS.toArray(String[]::new));
  }
}
