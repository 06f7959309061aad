package dev.refinery.filtering.perplexity;

/**
 * 64-bit keys of n-grams of word ids. The key is built from the last word leftwards ({@code extend}),
 * so while scoring, the keys of "w", "c1 w", "c2 c1 w", ... come one from the other at one mix each.
 */
final class NgramKeys {
  private NgramKeys() {}

  /** Key of the unigram {@code word}. */
  static long unigram(int word) {
    return nonZero(mix(0x6A09E667F3BCC909L ^ (word + 1L)));
  }

  /** Key of {@code word} followed by the n-gram whose key is {@code suffixKey}. */
  static long extend(long suffixKey, int word) {
    return nonZero(mix(suffixKey + 0x9E3779B97F4A7C15L * (word + 1L)));
  }

  /** Key of {@code ids[from..to)}. */
  static long of(int[] ids, int from, int to) {
    long key = unigram(ids[to - 1]);
    for (int i = to - 2; i >= from; i--) {
      key = extend(key, ids[i]);
    }
    return key;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long nonZero(long key) {
    return key == 0 ? 1 : key;
  }
}
