package dev.refinery.annotation.imports;

import dev.refinery.annotation.labels.PreferenceLabel;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Maps the label spellings of a source (configured lists, case-insensitive) to {@link PreferenceLabel}s. */
public final class LabelMapping {
  private final Map<String, PreferenceLabel> byText = new HashMap<>();

  public LabelMapping(List<String> a, List<String> b, List<String> tie) {
    a.forEach(t -> byText.put(normalise(t), PreferenceLabel.A));
    b.forEach(t -> byText.put(normalise(t), PreferenceLabel.B));
    tie.forEach(t -> byText.put(normalise(t), PreferenceLabel.TIE));
  }

  public Optional<PreferenceLabel> map(String raw) {
    return raw == null ? Optional.empty() : Optional.ofNullable(byText.get(normalise(raw)));
  }

  private static String normalise(String text) {
    return text.trim().toLowerCase(Locale.ROOT);
  }
}
