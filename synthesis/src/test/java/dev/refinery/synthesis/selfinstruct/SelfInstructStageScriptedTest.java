package dev.refinery.synthesis.selfinstruct;

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
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every filter of the stage on scripted model output, in one run of one round: the first generation prompt
 * answers a numbered list with one candidate per filter (and two good ones), the second prompt's call fails;
 * classification and instance answers are scripted per candidate. Each test checks one drop reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelfInstructStageScriptedTest {
  private static final String SEEDS = """
      {"id": "s1", "instruction": "Give three tips for staying healthy.", "instances": [{"input": "", "output": "Eat well, sleep, move."}], "is_classification": false}
      {"id": "s2", "instruction": "Translate the sentence into French.", "instances": [{"input": "Good morning.", "output": "Bonjour."}], "is_classification": false}
      {"id": "s3", "instruction": "Classify the sentiment of the review.", "instances": [{"input": "I loved it.", "output": "Positive"}], "is_classification": true}
      {"id": "s4", "instruction": "Is the number even or odd?", "instances": [{"input": "7", "output": "Odd"}], "is_classification": true}
      """;
  /** The first generation prompt's answer: one candidate per filter, in the order the filters run. */
  private static final String LIST = """
      1. Describe the migration habits of arctic terns.
      2. Hi there friend
      3. Explain why copper kettles whistle louder than steel ones during very cold winter mornings
      4. Draw seven lighthouses along a rocky coast.
      5. Write a program that sorts quantum marbles.
      6. "Name four velvet orchestras in Vienna."
      7. Éclair recipes need careful butter tempering.
      8. Give three tips for staying healthy.
      9. Summarize the story of a silent film about zeppelins.
      10. List four uses for volcanic glass in kitchens.
      11. Decide whether each wild mushroom is edible or poisonous.
      12. Suggest a name for a shop selling paper lanterns.
      13. Repeat the given phrase about polished mirrors exactly.
      14. Create riddles whose answers are ocean animals.
      15. Decide whether each statement about comets is true.
      16. Narrate a short voyage of a paper boat downstream.
      17. Recommend a good book about tiny submarines.
      """;
  /**
   * Prompt p of round r is seeded {@code seed * 1_000_003 + r * 10_007 + p}: with seed 0 the second prompt
   * of round 1 is 10008.
   */
  private static final long SECOND_GENERATION_PROMPT = 10_008;

  private ScriptedLlm llm;
  private Lakehouse lakehouse;
  private PipelineRun run;

  @BeforeAll
  void runTheStageOnScriptedAnswers() throws IOException {
    llm = ScriptedLlm.start(SelfInstructStageScriptedTest::answer);
    Path seeds = Files.createTempFile("seed-tasks-", ".jsonl");
    Files.writeString(seeds, SEEDS, StandardCharsets.UTF_8);
    RefineryConfig config = llm.configure(SharedSpark.config())
        .with("self-instruct.seed-tasks", seeds.toString())
        .with("self-instruct.seed", 0)
        .with("self-instruct.max-rounds", 1)
        .with("self-instruct.prompts-per-round", 2)
        .with("self-instruct.min-words", 3)
        .with("self-instruct.max-words", 12);
    SparkSession spark = SharedSpark.session();
    lakehouse = new Lakehouse(spark, config);
    run = new StageRunner(spark, config, lakehouse, "run-1")
        .run(StageCatalog.discover().resolve(List.of("self-instruct"), config).get(0));
  }

  @AfterAll
  void stop() {
    llm.close();
  }

  /** The model's side, by the kind of prompt and the candidate instruction it is about. */
  private static ScriptedLlm.Reply answer(ScriptedLlm.Request request) {
    String prompt = request.lastUser();
    if (prompt.startsWith("Come up with a series")) {
      return request.seed() == SECOND_GENERATION_PROMPT ? ScriptedLlm.fail() : ScriptedLlm.text(LIST);
    }
    String task = prompt.substring(prompt.lastIndexOf("Task: ")).toLowerCase(Locale.ROOT);
    if (prompt.startsWith("Can the following task")) {
      if (task.contains("zeppelins")) {
        return ScriptedLlm.fail();
      }
      return ScriptedLlm.text(task.contains("mushroom") || task.contains("comets") ? "Yes" : "No");
    }
    if (task.contains("volcanic")) {
      return ScriptedLlm.fail();
    }
    if (task.contains("arctic terns")) {
      return ScriptedLlm.flaky("Arctic terns fly between the poles every year.");
    }
    if (task.contains("paper boat")) {
      return ScriptedLlm.truncated("Input: A river at dawn.\nOutput: The boat drifted past the mill and then");
    }
    return ScriptedLlm.text(task.contains("mushroom") ? "no idea at all"
        : task.contains("submarines") ? "I'm sorry, but I can't help with that."
        : task.contains("lanterns") ? "Input: A small shop.\nOutput:"
        : task.contains("mirrors") ? "Input: shiny glass\nOutput: shiny glass"
        : task.contains("riddles") ? "Input: Complete the following:\nOutput: A whale."
        : task.contains("comets") ? "Class label: True\nInput: Comets have icy cores."
        : "unexpected task " + task);
  }

  @Test
  void countsSeedsCandidatesAndFailedGenerationCallsAsRowsIn() {
    // 4 seeds + 17 candidates + 1 failed generation call; out: the seeds and two generated instructions.
    assertThat(run.result().rowsIn()).isEqualTo(22);
    assertThat(run.result().rowsOut()).isEqualTo(6);
    assertThat(run.result().droppedByReason()).hasSize(14);
  }

  @Test
  void keptInstructionsAreRecordedWithTheirInstances() {
    List<Row> generated = lakehouse.read(Tables.INSTRUCTIONS).filter(col("origin").equalTo("generated"))
        .orderBy("instruction").collectAsList();
    assertThat(generated).extracting(r -> r.<String>getAs("instruction")).containsExactly(
        "Decide whether each statement about comets is true.", "Describe the migration habits of arctic terns.");
    Row comets = generated.get(0);
    assertThat(comets.<Boolean>getAs("is_classification")).isTrue();
    assertThat(comets.<String>getAs("output")).isEqualTo("True");
    assertThat(comets.<String>getAs("input")).isEqualTo("Comets have icy cores.");
    Row terns = generated.get(1);
    assertThat(terns.<Boolean>getAs("is_classification")).isFalse();
    assertThat(terns.<String>getAs("input")).isEmpty();
    assertThat(terns.<String>getAs("output")).isEqualTo("Arctic terns fly between the poles every year.");
    assertThat(terns.<Integer>getAs("round")).isEqualTo(1);
    assertThat(terns.<Double>getAs("max_rouge_l")).isLessThan(0.7);
    assertThat(lakehouse.read(Tables.INSTRUCTIONS).filter(col("origin").equalTo("seed")).count()).isEqualTo(4);
  }

  @Test
  void failedCallsForGenerationClassificationAndInstanceAreDroppedUnderOneReason() {
    assertThat(run.result().droppedByReason()).contains(entry("llm_call_failed", 3L));
    assertThat(lakehouse.read(Tables.LLM_CALLS).filter(col("status").equalTo("failed")).count()).isEqualTo(3);
  }

  @Test
  void tooShort() {
    assertThat(run.result().droppedByReason()).contains(entry("too_short", 1L));
  }

  @Test
  void tooLong() {
    assertThat(run.result().droppedByReason()).contains(entry("too_long", 1L));
  }

  @Test
  void blacklistedKeyword() {
    assertThat(run.result().droppedByReason()).contains(entry("blacklisted_keyword", 1L));
  }

  @Test
  void writeAProgram() {
    assertThat(run.result().droppedByReason()).contains(entry("write_a_program", 1L));
  }

  @Test
  void startsWithPunctuation() {
    assertThat(run.result().droppedByReason()).contains(entry("starts_with_punctuation", 1L));
  }

  @Test
  void startsWithNonAscii() {
    assertThat(run.result().droppedByReason()).contains(entry("starts_with_non_ascii", 1L));
  }

  @Test
  void rougeLTooSimilarToASeed() {
    assertThat(run.result().droppedByReason()).contains(entry("rouge_l_too_similar", 1L));
  }

  @Test
  void unparseableInstance() {
    assertThat(run.result().droppedByReason()).contains(entry("unparseable_instance", 1L));
  }

  @Test
  void emptyOutput() {
    assertThat(run.result().droppedByReason()).contains(entry("empty_output", 1L));
  }

  @Test
  void inputEqualsOutput() {
    assertThat(run.result().droppedByReason()).contains(entry("input_equals_output", 1L));
  }

  @Test
  void incompleteInstance() {
    assertThat(run.result().droppedByReason()).contains(entry("incomplete_instance", 1L));
  }

  @Test
  void anInstanceCutOffByTheTokenBudgetIsDropped() {
    assertThat(run.result().droppedByReason()).contains(entry("truncated", 1L));
  }

  @Test
  void aRefusalOnlyInstanceIsDropped() {
    assertThat(run.result().droppedByReason()).contains(entry("refusal", 1L));
  }

  @Test
  void recordsTheLlmMetrics() {
    LlmCallStats calls = LlmCallStats.fromMetrics(run.result().metrics());
    // 2 generation prompts; 10 candidates pass the filters and get a classification; 9 of those an instance.
    assertThat(calls.requests()).isEqualTo(2 + 10 + 9);
    assertThat(calls.made()).isEqualTo(21);
    assertThat(calls.cached()).isZero();
    assertThat(calls.failed()).isEqualTo(3);
    // One retry per failed call, one for the flaky instance call.
    assertThat(calls.retries()).isEqualTo(3 + 1);
    assertThat(calls.promptTokens()).isEqualTo(llm.promptTokensServed()).isPositive();
    assertThat(calls.completionTokens()).isEqualTo(llm.completionTokensServed()).isPositive();
  }
}
