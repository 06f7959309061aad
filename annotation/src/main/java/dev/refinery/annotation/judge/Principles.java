package dev.refinery.annotation.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.error.RefineryException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The RL-CAI multiple-choice material (Bai et al. 2022, "Constitutional AI", appendix): the comparison
 * principles ({@code RLMadisonInstructions.json}, each ending in "Options:") and the few-shot examples
 * ({@code RLMadisonFewShotPrompts.json}: a conversation with a correct and an incorrect response).
 */
public record Principles(List<String> principles, List<Example> examples) implements Serializable {

  /** A solved comparison: the conversation, the better and the worse response. */
  public record Example(String conversation, String better, String worse) implements Serializable {}

  /** The id of principle {@code i}, recorded in {@code judgments.principle} and the rater id. */
  public static String id(int i) {
    return String.format(java.util.Locale.ROOT, "rl-cai-%02d", i);
  }

  public static Principles load(Path principlesFile, Path examplesFile) {
    ObjectMapper json = new ObjectMapper();
    List<String> principles = new ArrayList<>();
    List<Example> examples = new ArrayList<>();
    try {
      for (JsonNode p : json.readTree(principlesFile.toFile())) {
        principles.add(p.asText().strip());
      }
      for (JsonNode e : json.readTree(examplesFile.toFile())) {
        examples.add(new Example(e.path("prompt").asText(), e.path("corrects").path(0).asText(),
            e.path("incorrects").path(0).asText()));
      }
    } catch (IOException e) {
      throw RefineryException.userError("Cannot read the RL-CAI principles %s or examples %s: %s", principlesFile,
          examplesFile, e.getMessage());
    }
    if (principles.isEmpty()) {
      throw RefineryException.userError("Cannot use principles file %s: it lists no principles", principlesFile);
    }
    return new Principles(List.copyOf(principles), List.copyOf(examples));
  }
}
