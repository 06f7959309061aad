package dev.refinery.synthesis.cai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.error.RefineryException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Constitutional AI paper's critique/revision material: the 16 principles
 * ({@code CritiqueRevisionInstructions.json}: a CritiqueRequest and a RevisionRequest each) and the few-shot
 * dialogues ({@code CritiqueRevisionFewShotPrompts.json}: a conversation, then CritiqueRequest, Critique,
 * RevisionRequest, Revision).
 */
public record Constitution(List<Principle> principles, List<FewShot> fewShots) {

  public record Principle(String name, String critiqueRequest, String revisionRequest) {}

  public record FewShot(String conversation, String critiqueRequest, String critique, String revisionRequest,
      String revision) {}

  public static Constitution read(Path instructions, Path fewShotPrompts) {
    ObjectMapper json = new ObjectMapper();
    Map<String, Principle> principles = new TreeMap<>();
    List<FewShot> fewShots = new ArrayList<>();
    try {
      JsonNode root = json.readTree(instructions.toFile());
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String critique = strip(entry.getValue().path("prompt").path(0).asText(""), "CritiqueRequest:", "Critique:");
        String revision = strip(entry.getValue().path("edit_request").asText(""), "RevisionRequest:", "Revision:");
        if (critique.isEmpty() || revision.isEmpty()) {
          throw RefineryException.userError("Cannot read principle %s in %s: it needs prompt and edit_request",
              entry.getKey(), instructions);
        }
        principles.put(entry.getKey(), new Principle(entry.getKey(), critique, revision));
      }
      for (JsonNode node : json.readTree(fewShotPrompts.toFile())) {
        fewShots.add(parseFewShot(node.asText()));
      }
    } catch (IOException e) {
      throw RefineryException.userError("Cannot read the CAI principles %s / %s: %s", instructions, fewShotPrompts,
          e.getMessage());
    }
    return new Constitution(List.copyOf(principles.values()), fewShots);
  }

  static FewShot parseFewShot(String text) {
    String[] labels = {"CritiqueRequest:", "Critique:", "RevisionRequest:", "Revision:"};
    int[] at = new int[labels.length];
    int from = 0;
    for (int i = 0; i < labels.length; i++) {
      at[i] = text.indexOf("\n\n" + labels[i], from);
      if (at[i] < 0) {
        throw RefineryException.userError("Cannot parse CAI few-shot prompt: no %s in %.60s...", labels[i], text);
      }
      from = at[i] + labels[i].length() + 2;
    }
    String conversation = text.substring(0, at[0]).strip();
    String[] parts = new String[labels.length];
    for (int i = 0; i < labels.length; i++) {
      int start = at[i] + 2 + labels[i].length();
      int end = i + 1 < labels.length ? at[i + 1] : text.length();
      parts[i] = text.substring(start, end).strip();
    }
    // Some dialogues continue with further rounds; only the first critique/revision is used.
    int more = parts[3].indexOf("\n\nCritiqueRequest:");
    String revision = more >= 0 ? parts[3].substring(0, more).strip() : parts[3];
    return new FewShot(conversation, parts[0], parts[1], parts[2], revision);
  }

  private static String strip(String text, String label, String trailer) {
    String out = text.strip();
    if (out.startsWith(label)) {
      out = out.substring(label.length());
    }
    if (out.endsWith(trailer)) {
      out = out.substring(0, out.length() - trailer.length());
    }
    return out.strip();
  }
}
