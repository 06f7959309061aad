package dev.refinery.filtering.signals;

import static dev.refinery.filtering.signals.DocumentText.ratio;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * FineWeb signals (Penedo et al. 2024; datatrove's {@code FineWebQualityFilter}). Lines are the text split
 * on every "\n", empty ones included and not stripped, as datatrove's {@code text.split("\n")} gives them.
 * The list ratio divides by whitespace words where datatrove uses NLTK tokens (which also count
 * punctuation), so it reads somewhat higher here on punctuated text.
 */
final class FineWebSignals {
  static final int SHORT_LINE_LENGTH = 30;

  static final List<SignalColumn> COLUMNS = List.of(
      new SignalColumn("fineweb_line_punct_ratio", SignalType.DOUBLE,
          "fraction of lines (split on \\n, not stripped) ending in . ' \" ! ?; 0.0 for empty text"),
      new SignalColumn("fineweb_short_line_ratio", SignalType.DOUBLE,
          "fraction of lines at most 30 characters long (datatrove's <=); 1.0 for empty text (one empty line)"),
      new SignalColumn("fineweb_char_dup_ratio", SignalType.DOUBLE,
          "characters in non-blank lines repeating an earlier line, divided by the text's characters other"
              + " than \\n; 0.0 when there are none"),
      new SignalColumn("fineweb_list_ratio", SignalType.DOUBLE,
          "newline count divided by whitespace word count; 0.0 when there are no words"));

  private static final Pattern NEWLINE = Pattern.compile("\n");

  private FineWebSignals() {}

  static void compute(DocumentText document, Object[] values, int offset) {
    String[] lines = NEWLINE.split(document.text, -1);
    int punctuated = 0;
    int shortLines = 0;
    List<String> nonBlank = new ArrayList<>(lines.length);
    for (String line : lines) {
      if (line.endsWith(".") || line.endsWith("'") || line.endsWith("\"") || line.endsWith("!")
          || line.endsWith("?")) {
        punctuated++;
      }
      if (DocumentText.length(line) <= SHORT_LINE_LENGTH) {
        shortLines++;
      }
      if (!line.isBlank()) {
        nonBlank.add(line);
      }
    }
    int newlines = lines.length - 1;
    long duplicateCharacters = GopherRepetitionSignals.duplicates(nonBlank.toArray(new String[0]))[1];
    values[offset] = ratio(punctuated, lines.length);
    values[offset + 1] = ratio(shortLines, lines.length);
    values[offset + 2] = ratio(duplicateCharacters, document.length - newlines);
    values[offset + 3] = ratio(newlines, document.words.length);
  }
}
