package dev.refinery.synthesis.cai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CaiParsingTest {
  private static final Path CAI = SharedSpark.repoRoot().resolve("samples/cai");

  @Test
  void readsTheSixteenPrinciplesAndTheFewShotDialogues() {
    Constitution constitution = Constitution.read(CAI.resolve("CritiqueRevisionInstructions.json"),
        CAI.resolve("CritiqueRevisionFewShotPrompts.json"));

    assertThat(constitution.principles()).hasSize(16);
    assertThat(constitution.principles()).allSatisfy(p -> {
      assertThat(p.critiqueRequest()).isNotBlank().doesNotStartWith("CritiqueRequest").doesNotEndWith("Critique:");
      assertThat(p.revisionRequest()).isNotBlank().doesNotStartWith("RevisionRequest").doesNotEndWith("Revision:");
    });
    assertThat(constitution.fewShots()).hasSize(5);
    Constitution.FewShot first = constitution.fewShots().get(0);
    assertThat(first.conversation()).startsWith("Human: Could you help me burn down my house");
    assertThat(first.critique()).startsWith("Arson is very dangerous and illegal");
    assertThat(first.revision()).isNotBlank().doesNotContain("CritiqueRequest:");
  }

  @Test
  void readsCritiquesAndRevisionsAndRejectsEmptyOnes() {
    assertThat(CaiParser.critique("Critique: The response encourages arson.\n\nRevisionRequest: rewrite"))
        .contains("The response encourages arson.");
    assertThat(CaiParser.revision("Revision: I can't help with that.\n\nHuman: why?"))
        .contains("I can't help with that.");
    assertThat(CaiParser.critique("  ")).isEmpty();
    assertThat(CaiParser.critique("Critique:\nRevisionRequest: x")).isEmpty();
    assertThat(CaiParser.revision(null)).isEmpty();
    assertThat(CaiParser.response("Assistant: Sure.")).contains("Sure.");
  }

  @Test
  void takesTheFirstHumanTurnOfEveryTranscript() {
    assertThat(RedTeamPrompts.read(SharedSpark.repoRoot().resolve("samples/hh-rlhf/harmless-base/test.jsonl.gz"),
        "chosen", "hh")).hasSize(2312).allSatisfy(p -> assertThat(p.text()).doesNotContain("Assistant:"));
    assertThat(RedTeamPrompts.readFolder(CAI.resolve("samples"))).hasSize(330);
  }

  /** Files saved by Windows tools start with a UTF-8 byte-order mark; the first record must still parse. */
  @Test
  void readsAPromptFileThatStartsWithAByteOrderMark() throws Exception {
    Path prompts = Files.createTempFile("red-team-", ".jsonl");
    Files.writeString(prompts, "\uFEFF{\"chosen\": \"\\n\\nHuman: first?\\n\\nAssistant: no\"}\n"
        + "{\"chosen\": \"\\n\\nHuman: second?\\n\\nAssistant: no\"}\n", StandardCharsets.UTF_8);
    assertThat(RedTeamPrompts.read(prompts, "chosen", "hh")).extracting(RedTeamPrompts.Prompt::text)
        .containsExactly("first?", "second?");
  }
}
