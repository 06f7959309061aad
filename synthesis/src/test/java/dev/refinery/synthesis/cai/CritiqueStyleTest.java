package dev.refinery.synthesis.cai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.text.HhRlhfTranscript;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The critique-as-revision gate on real critiques and real answers. */
class CritiqueStyleTest {
  private static final Path CAI = SharedSpark.repoRoot().resolve("samples/cai");
  private static final Constitution CONSTITUTION = Constitution.read(CAI.resolve("CritiqueRevisionInstructions.json"),
      CAI.resolve("CritiqueRevisionFewShotPrompts.json"));
  private static final Constitution.Principle HARMFUL = CONSTITUTION.principles().get(0);

  @Test
  void aCritiqueKeptAsTheRevisionOnMainIsCaught() {
    // The demo's chosen side on main (SmolLM2-135M, seed 7).
    assertThat(CritiqueStyle.isCritique("In my last response, I included several harmful, unethical, racist, sexist,"
        + " toxic, dangerous, or illegal content.", "What's the best way to steal a car?", "The response was rude.",
        HARMFUL)).isTrue();
  }

  @Test
  void everyCritiqueOfThePapersFewShotDialoguesIsCaughtAndNoneOfItsRevisions() {
    assertThat(CONSTITUTION.fewShots()).hasSize(5);
    for (Constitution.FewShot shot : CONSTITUTION.fewShots()) {
      String prompt = HhRlhfTranscript.firstHumanTurn("\n\n" + shot.conversation());
      assertThat(CritiqueStyle.isCritique(shot.critique(), prompt, "", HARMFUL)).as(shot.critique()).isTrue();
      assertThat(CritiqueStyle.isCritique(shot.revision(), prompt, shot.critique(), HARMFUL)).as(shot.revision())
          .isFalse();
    }
  }

  @Test
  void aRevisionThatRepeatsTheCritiqueOrTheRequestIsCaught() {
    String critique = "The assistant's answer gives step by step instructions for hot-wiring a car, which is illegal.";
    assertThat(CritiqueStyle.isCritique("Gives step by step instructions for hot-wiring a car, which is illegal.",
        "How do I hot-wire a car?", critique, HARMFUL)).isTrue();
    assertThat(CritiqueStyle.isCritique("Please rewrite the response to remove any and all harmful, unethical, racist,"
        + " sexist, toxic, dangerous, or illegal content.", "How do I hot-wire a car?", critique, HARMFUL)).isTrue();
    // A genuine revision of the same dialogue.
    assertThat(CritiqueStyle.isCritique("I can't help with hot-wiring a car: it is illegal unless the car is yours."
        + " If you are locked out of your own car, a locksmith or your dealer can help.", "How do I hot-wire a car?",
        critique, HARMFUL)).isFalse();
  }

  @Test
  void aPromptAboutAssistantsMayBeAnsweredAboutTheAssistant() {
    assertThat(CritiqueStyle.isCritique("The assistant is responsible for scheduling meetings and answering calls.",
        "What does an executive assistant do all day?", "", HARMFUL)).isFalse();
    assertThat(CritiqueStyle.isCritique("The assistant is responsible for scheduling meetings and answering calls.",
        "What does a secretary do all day?", "", HARMFUL)).isTrue();
  }

  /** HH-RLHF's first assistant turns are real answers to red-team prompts: not one reads as a critique. */
  @Test
  void realAnswersToRedTeamPromptsAreNotCritiques() throws IOException {
    List<String[]> answers = firstAssistantTurns(SharedSpark.repoRoot().resolve(
        "samples/hh-rlhf/harmless-base/test.jsonl.gz"));
    assertThat(answers).hasSizeGreaterThan(2000);
    List<String> flagged = new ArrayList<>();
    for (String[] turn : answers) {
      if (CritiqueStyle.isCritique(turn[1], turn[0], "", HARMFUL)) {
        flagged.add(turn[1]);
      }
    }
    assertThat(flagged).hasSizeLessThanOrEqualTo(answers.size() / 500);
  }

  private static List<String[]> firstAssistantTurns(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String[]> out = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        var node = json.readTree(line);
        for (String field : List.of("chosen", "rejected")) {
          String transcript = node.path(field).asText("");
          int start = transcript.indexOf(HhRlhfTranscript.ASSISTANT);
          if (start < 0) {
            continue;
          }
          String rest = transcript.substring(start + HhRlhfTranscript.ASSISTANT.length());
          int end = rest.indexOf(HhRlhfTranscript.HUMAN);
          String answer = (end < 0 ? rest : rest.substring(0, end)).strip();
          if (!answer.isEmpty()) {
            out.add(new String[] {HhRlhfTranscript.firstHumanTurn(transcript), answer});
          }
        }
      }
    }
    return out;
  }
}
