package dev.refinery.synthesis.selfinstruct;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FiltersAndParsersTest {
  private final InstructionFilter filter = new InstructionFilter(3, 150);

  @Test
  void dropsCandidatesWithThePublishedReasons() {
    assertThat(filter.reject("Sort the list")).contains("too_short");
    assertThat(filter.reject("word ".repeat(151).strip())).contains("too_long");
    assertThat(filter.reject("word ".repeat(150).strip())).isEmpty();
    assertThat(filter.reject("Describe the image of a cat on a sofa")).contains("blacklisted_keyword");
    assertThat(filter.reject("Explain how to Go To the station from here")).contains("blacklisted_keyword");
    assertThat(filter.reject("Explain a mapping between two sets")).isEmpty();
    assertThat(filter.reject("Write a program that sorts numbers")).contains("write_a_program");
    assertThat(filter.reject("\"Quote\" a famous person about courage")).contains("starts_with_punctuation");
    assertThat(filter.reject("Écris une phrase sur le temps qu'il fait")).contains("starts_with_non_ascii");
  }

  @Test
  void tellMeAJokeHasFourWordsAndIsKept() {
    assertThat(filter.reject("Tell me a joke")).isEmpty();
  }

  @Test
  void parsesTheContinuedNumberedListLikeSelfInstruct() {
    String response = "Suggest a name for a pet   goldfish.\n10. What is the boiling point of water?\n"
        + "11) translate the sentence into French.\n\nI hope these help!";
    assertThat(NumberedListParser.parse(response)).containsExactly(
        "Suggest a name for a pet goldfish.", "What is the boiling point of water?",
        "Translate the sentence into french.");
  }

  @Test
  void parsesAListRestartedAtItsFirstLine() {
    assertThat(NumberedListParser.parse("9. Give three tips for staying healthy.\n10. Name a planet in the solar system."))
        .containsExactly("Give three tips for staying healthy.", "Name a planet in the solar system.");
    assertThat(NumberedListParser.parse("   ")).isEmpty();
  }

  @Test
  void capitalizesLikePython() {
    assertThat(InstructionFilter.capitalize("write a Python function")).isEqualTo("Write a python function");
    assertThat(InstructionFilter.capitalize("")).isEmpty();
  }

  @Test
  void parsesInputFirstInstances() {
    InstanceParser.Result r = InstanceParser.parse("Input: 2, 3\nOutput: 5\n\nInput: 1, 1\nOutput: 2", false);
    assertThat(r.kept()).isTrue();
    assertThat(r.input()).isEqualTo("2, 3");
    assertThat(r.output()).isEqualTo("5");

    InstanceParser.Result noInput = InstanceParser.parse("Output: Paris is the capital of France.", false);
    assertThat(noInput.input()).isEmpty();
    assertThat(noInput.output()).isEqualTo("Paris is the capital of France.");

    InstanceParser.Result plain = InstanceParser.parse("Drink water and sleep well.", false);
    assertThat(plain.output()).isEqualTo("Drink water and sleep well.");
  }

  @Test
  void parsesOutputFirstInstances() {
    InstanceParser.Result r = InstanceParser.parse("Class label: Positive\nInput: I loved this movie.", true);
    assertThat(r.kept()).isTrue();
    assertThat(r.output()).isEqualTo("Positive");
    assertThat(r.input()).isEqualTo("I loved this movie.");
    assertThat(InstanceParser.parse("Positive, I guess", true).dropReason()).isEqualTo("unparseable_instance");
  }

  @Test
  void appliesTheInstanceFilters() {
    assertThat(InstanceParser.parse("Input: same\nOutput: same", false).dropReason()).isEqualTo("input_equals_output");
    assertThat(InstanceParser.parse("Input: x\nOutput: ", false).dropReason()).isEqualTo("empty_output");
    assertThat(InstanceParser.parse("Input: Here is the list:\nOutput: 1, 2", false).dropReason())
        .isEqualTo("incomplete_instance");
    assertThat(InstanceParser.parse("Input: x", false).dropReason()).isEqualTo("unparseable_instance");
  }

  @Test
  void readsClassificationAnswers() {
    assertThat(SelfInstructStage.isYes(" Yes, it is")).isTrue();
    assertThat(SelfInstructStage.isYes("**yes**")).isTrue();
    assertThat(SelfInstructStage.isYes("No")).isFalse();
    assertThat(SelfInstructStage.isYes(null)).isFalse();
  }

  /** Files saved by Windows tools start with a UTF-8 byte-order mark; the first seed must still parse. */
  @Test
  void readsASeedFileThatStartsWithAByteOrderMark() throws Exception {
    Path seeds = Files.createTempFile("seeds-", ".jsonl");
    Files.writeString(seeds, "\uFEFF{\"id\": \"seed_task_0\", \"instruction\": \"Say hi.\", "
        + "\"instances\": [{\"input\": \"\", \"output\": \"Hi.\"}], \"is_classification\": false}\n",
        StandardCharsets.UTF_8);
    assertThat(SeedTask.read(seeds)).extracting(SeedTask::id).containsExactly("seed_task_0");
  }
}
