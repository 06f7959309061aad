package dev.refinery.synthesis.cai;

import java.util.List;
import java.util.Optional;

/**
 * Reads a critique or a revision out of the model's answer: a leading label ("Critique:", "Revision:") is
 * removed, and the answer is cut where the model starts writing the next part of the dialogue on its own.
 * An answer with nothing left is unparseable (empty).
 */
public final class CaiParser {
  private static final List<String> AFTER_CRITIQUE = List.of("RevisionRequest:", "CritiqueRequest:", "Revision:",
      "Human:");
  private static final List<String> AFTER_REVISION = List.of("CritiqueRequest:", "RevisionRequest:", "Critique:",
      "Human:");

  private CaiParser() {}

  public static Optional<String> critique(String answer) {
    return extract(answer, "Critique:", AFTER_CRITIQUE);
  }

  public static Optional<String> revision(String answer) {
    return extract(answer, "Revision:", AFTER_REVISION);
  }

  /** The initial response, with a leading "Assistant:" that some models echo removed. */
  public static Optional<String> response(String answer) {
    return extract(answer, "Assistant:", List.of("Human:"));
  }

  private static Optional<String> extract(String answer, String label, List<String> stops) {
    if (answer == null) {
      return Optional.empty();
    }
    String text = answer.strip();
    if (text.regionMatches(true, 0, label, 0, label.length())) {
      text = text.substring(label.length()).strip();
    }
    int cut = text.length();
    for (String stop : stops) {
      int at = text.indexOf(stop);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    text = text.substring(0, cut).strip();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }
}
