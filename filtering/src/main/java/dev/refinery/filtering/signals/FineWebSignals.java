package dev.refinery.filtering.signals;

import static dev.refinery.filtering.signals.DocumentText.ratio;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * FineWeb signals (Penedo et al. 2024; datatrove 0.10.1's {@code FineWebQualityFilter}). The line ratios are over
 * the non-blank lines (split on every "\n", blank ones removed, the rest not stripped), as datatrove computes
 * them; a line counts as punctuated when it ends in one of datatrove's {@link TerminalPunctuation} characters.
 * The list ratio divides by whitespace words where datatrove uses NLTK tokens (which also count punctuation), so
 * it reads somewhat higher here on punctuated text.
 */
final class FineWebSignals {
  static final int SHORT_LINE_LENGTH = 30;

  static final List<SignalColumn> COLUMNS = List.of(
      new SignalColumn("fineweb_line_punct_ratio", SignalType.DOUBLE,
          "fraction of non-blank lines (split on \\n, not stripped) ending in terminal punctuation (datatrove's"
              + " set: . ! ? and 156 more across scripts, no closing quotes); 0.0 when no line is non-blank"),
      new SignalColumn("fineweb_short_line_ratio", SignalType.DOUBLE,
          "fraction of non-blank lines at most 30 characters long (datatrove's <=); 1.0 when no line is"
              + " non-blank"),
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
      if (line.isBlank()) {
        continue;
      }
      nonBlank.add(line);
      if (TerminalPunctuation.endsWithOne(line)) {
        punctuated++;
      }
      if (DocumentText.length(line) <= SHORT_LINE_LENGTH) {
        shortLines++;
      }
    }
    int newlines = lines.length - 1;
    long duplicateCharacters = GopherRepetitionSignals.duplicates(nonBlank.toArray(new String[0]))[1];
    values[offset] = ratio(punctuated, nonBlank.size());
    values[offset + 1] = nonBlank.isEmpty() ? 1.0 : ratio(shortLines, nonBlank.size());
    values[offset + 2] = ratio(duplicateCharacters, document.length - newlines);
    values[offset + 3] = ratio(newlines, document.words.length);
  }
}
