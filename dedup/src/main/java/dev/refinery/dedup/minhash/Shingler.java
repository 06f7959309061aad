package dev.refinery.dedup.minhash;

import dev.refinery.core.error.Preconditions;
import dev.refinery.dedup.TextNormalization;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Turns a text into its set of shingle hashes: normalise, then word n-grams (default) or character
 * n-grams, each hashed to 64 bits. A text shorter than one n-gram is one shingle (the whole text), so
 * short texts still have a signature; an empty text has no shingles.
 */
public final class Shingler implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Word or character shingles. */
  public enum Unit { WORD, CHAR }

  private final TextNormalization normalization;
  private final Unit unit;
  private final int size;

  public Shingler(TextNormalization normalization, Unit unit, int size) {
    Preconditions.checkArgument(size >= 1, "Invalid shingle size: %s (must be >= 1)", size);
    this.normalization = normalization;
    this.unit = unit;
    this.size = size;
  }

  /** Distinct shingle hashes, sorted ascending. */
  public long[] shingles(String text) {
    String normalised = normalization.apply(text);
    long[] hashes = unit == Unit.WORD ? wordShingles(normalised) : charShingles(normalised);
    if (hashes.length == 0) {
      return hashes;
    }
    Arrays.sort(hashes);
    int distinct = 1;
    for (int i = 1; i < hashes.length; i++) {
      if (hashes[i] != hashes[distinct - 1]) {
        hashes[distinct++] = hashes[i];
      }
    }
    return distinct == hashes.length ? hashes : Arrays.copyOf(hashes, distinct);
  }

  private long[] wordShingles(String text) {
    // Hash every word once, then combine n consecutive word hashes: O(words * n), no substring copies.
    long[] words = new long[Math.max(1, text.length() / 2 + 1)];
    int count = 0;
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean boundary = i == text.length() || Character.isWhitespace(text.charAt(i));
      if (boundary) {
        if (start >= 0) {
          words[count++] = Hash64.of(text, start, i);
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (count == 0) {
      return new long[0];
    }
    int n = Math.min(size, count);
    long[] shingles = new long[count - n + 1];
    for (int s = 0; s < shingles.length; s++) {
      long h = n;
      for (int j = 0; j < n; j++) {
        h = Hash64.mix(h * 0x9e3779b97f4a7c15L + words[s + j]);
      }
      shingles[s] = h;
    }
    return shingles;
  }

  private long[] charShingles(String text) {
    if (text.isEmpty()) {
      return new long[0];
    }
    int n = Math.min(size, text.length());
    long[] shingles = new long[text.length() - n + 1];
    for (int s = 0; s < shingles.length; s++) {
      shingles[s] = Hash64.of(text, s, s + n);
    }
    return shingles;
  }

  /** Exact Jaccard similarity of two sorted distinct shingle sets (0 when both are empty). */
  public static double jaccard(long[] a, long[] b) {
    if (a.length == 0 && b.length == 0) {
      return 0.0;
    }
    int i = 0;
    int j = 0;
    int common = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        common++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return (double) common / (a.length + b.length - common);
  }
}
