package dev.refinery.filtering.signals;

import static dev.refinery.filtering.signals.DocumentText.ratio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Gopher repetition signals (Rae et al. 2021, table A1; datatrove's {@code GopherRepetitionFilter}).
 *
 * <p>Every character fraction divides by the length of the whole text, as datatrove does. Paragraphs are
 * the stripped text split on two or more newlines, lines the text split on one or more; an element counts
 * as duplicate from its second occurrence on. The top n-gram fraction is (length of the most frequent
 * n-gram, words joined by one space) × (its count); ties go to the n-gram seen first, as Python's
 * {@code Counter.most_common} does. The duplicate n-gram fraction walks the words left to right: a repeated
 * n-gram adds its words' characters (no spaces) and skips past itself, so no word is counted twice.
 *
 * <p>N-grams are compared as word sequences rather than as joined strings; datatrove's duplicate n-grams
 * join words with no separator, so ("ab", "c") and ("a", "bc") collide there and not here.
 */
final class GopherRepetitionSignals {
  static final int[] TOP_NGRAM_SIZES = {2, 3, 4};
  static final int[] DUPLICATE_NGRAM_SIZES = {5, 6, 7, 8, 9, 10};
  static final List<SignalColumn> COLUMNS = columns();

  private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\n{2,}");
  private static final Pattern LINE_BREAK = Pattern.compile("\n+");

  private GopherRepetitionSignals() {}

  private static List<SignalColumn> columns() {
    List<SignalColumn> columns = new ArrayList<>();
    columns.add(new SignalColumn("gopher_dup_para_fraction", SignalType.DOUBLE,
        "fraction of paragraphs (split on 2+ newlines) that repeat an earlier paragraph; 0.0 for empty text"));
    columns.add(new SignalColumn("gopher_dup_para_char_fraction", SignalType.DOUBLE,
        "characters in repeated paragraphs divided by the text's characters; 0.0 for empty text"));
    columns.add(new SignalColumn("gopher_dup_line_fraction", SignalType.DOUBLE,
        "fraction of lines (split on 1+ newlines) that repeat an earlier line; 0.0 for empty text"));
    columns.add(new SignalColumn("gopher_dup_line_char_fraction", SignalType.DOUBLE,
        "characters in repeated lines divided by the text's characters; 0.0 for empty text"));
    for (int n : TOP_NGRAM_SIZES) {
      columns.add(new SignalColumn("gopher_top_" + n + "gram_char_fraction", SignalType.DOUBLE,
          "characters of the most frequent word " + n + "-gram times its count, divided by the text's"
              + " characters; 0.0 with fewer than " + n + " words"));
    }
    for (int n : DUPLICATE_NGRAM_SIZES) {
      columns.add(new SignalColumn("gopher_dup_" + n + "gram_char_fraction", SignalType.DOUBLE,
          "characters of words covered by repeated word " + n + "-grams (each word once), divided by the"
              + " text's characters; 0.0 with fewer than " + n + " words"));
    }
    return List.copyOf(columns);
  }

  static void compute(DocumentText document, Object[] values, int offset) {
    int length = document.length;
    String[] paragraphs = PARAGRAPH_BREAK.split(document.text.strip(), -1);
    long[] paragraphDuplicates = duplicates(paragraphs);
    values[offset] = ratio(paragraphDuplicates[0], paragraphs.length);
    values[offset + 1] = ratio(paragraphDuplicates[1], length);
    String[] lines = LINE_BREAK.split(document.text, -1);
    long[] lineDuplicates = duplicates(lines);
    values[offset + 2] = ratio(lineDuplicates[0], lines.length);
    values[offset + 3] = ratio(lineDuplicates[1], length);

    int[] wordIds = wordIds(document.words);
    int at = offset + 4;
    for (int n : TOP_NGRAM_SIZES) {
      values[at++] = ratio(topNgramCharacters(wordIds, document.wordLengths, n), length);
    }
    for (int n : DUPLICATE_NGRAM_SIZES) {
      values[at++] = ratio(duplicateNgramCharacters(wordIds, document.wordLengths, n), length);
    }
  }

  /** {duplicate elements, their characters}: every occurrence after the first is a duplicate. */
  static long[] duplicates(String[] elements) {
    Set<String> seen = new HashSet<>();
    long count = 0;
    long characters = 0;
    for (String element : elements) {
      if (!seen.add(element)) {
        count++;
        characters += DocumentText.length(element);
      }
    }
    return new long[] {count, characters};
  }

  // Words as small integers, so n-grams compare as int ranges without building strings.
  private static int[] wordIds(String[] words) {
    Map<String, Integer> ids = new HashMap<>();
    int[] wordIds = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      wordIds[i] = ids.computeIfAbsent(words[i], word -> ids.size());
    }
    return wordIds;
  }

  private static long topNgramCharacters(int[] wordIds, int[] wordLengths, int n) {
    int count = wordIds.length - n + 1;
    if (count <= 0) {
      return 0;
    }
    Map<Ngram, int[]> counts = new HashMap<>();
    int best = 0;
    for (int start = 0; start < count; start++) {
      int[] seen = counts.computeIfAbsent(new Ngram(wordIds, start, n), key -> new int[1]);
      best = Math.max(best, ++seen[0]);
    }
    for (int start = 0; start < count; start++) {
      if (counts.get(new Ngram(wordIds, start, n))[0] == best) {
        return (long) best * (characters(wordLengths, start, n) + n - 1);
      }
    }
    throw new IllegalStateException("Cannot find the most frequent " + n + "-gram");
  }

  private static long duplicateNgramCharacters(int[] wordIds, int[] wordLengths, int n) {
    Set<Ngram> seen = new HashSet<>();
    long repeated = 0;
    int start = 0;
    while (start <= wordIds.length - n) {
      if (seen.add(new Ngram(wordIds, start, n))) {
        start++;
      } else {
        repeated += characters(wordLengths, start, n);
        start += n;
      }
    }
    return repeated;
  }

  private static long characters(int[] wordLengths, int start, int n) {
    long sum = 0;
    for (int i = start; i < start + n; i++) {
      sum += wordLengths[i];
    }
    return sum;
  }

  /** A view of n consecutive word ids; equal when the id ranges are equal. */
  private static final class Ngram {
    private final int[] wordIds;
    private final int start;
    private final int size;
    private final int hash;

    Ngram(int[] wordIds, int start, int size) {
      this.wordIds = wordIds;
      this.start = start;
      this.size = size;
      int h = 1;
      for (int i = start; i < start + size; i++) {
        h = 31 * h + wordIds[i];
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Ngram that && hash == that.hash && size == that.size
          && Arrays.equals(wordIds, start, start + size, that.wordIds, that.start, that.start + size);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
