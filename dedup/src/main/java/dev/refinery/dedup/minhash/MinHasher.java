package dev.refinery.dedup.minhash;

import dev.refinery.core.error.Preconditions;
import java.io.Serializable;
import java.util.Arrays;

/**
 * MinHash signatures with K permutations of the 64-bit shingle hash space. Each shingle hash is first mixed
 * once (MurmurHash3's 64-bit finaliser, a bijection, so structured input hashes are spread too); permutation
 * i is then the affine map {@code x -> a_i * x + b_i (mod 2^64)} with {@code a_i} odd, also a bijection. The
 * signature's i-th value is the minimum (signed order, so the high bits decide) of permutation i over the
 * shingles. For two sets with Jaccard J, each value agrees with probability J, so the fraction of agreeing
 * values estimates J with standard error sqrt(J(1-J)/K). One multiply-add per shingle and permutation instead
 * of a full mix halves the signature step's hashing time.
 */
public final class MinHasher implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] multipliers;
  private final long[] offsets;

  public MinHasher(int numPermutations, long seed) {
    Preconditions.checkArgument(numPermutations >= 1, "Invalid num-perm: %s (must be >= 1)", numPermutations);
    multipliers = new long[numPermutations];
    offsets = new long[numPermutations];
    long state = seed;
    for (int i = 0; i < numPermutations; i++) {
      state += 0x9e3779b97f4a7c15L;
      multipliers[i] = Hash64.mix(state) | 1L;
      state += 0x9e3779b97f4a7c15L;
      offsets[i] = Hash64.mix(state);
    }
  }

  public int numPermutations() {
    return multipliers.length;
  }

  /** The signature of a shingle set; all values are Long.MAX_VALUE for an empty set. */
  public long[] signature(long[] shingles) {
    long[] a = multipliers;
    long[] b = offsets;
    long[] signature = new long[a.length];
    Arrays.fill(signature, Long.MAX_VALUE);
    for (long shingle : shingles) {
      long x = Hash64.mix(shingle);
      for (int i = 0; i < a.length; i++) {
        long v = a[i] * x + b[i];
        if (v < signature[i]) {
          signature[i] = v;
        }
      }
    }
    return signature;
  }

  /** Fraction of equal positions: the MinHash estimate of Jaccard similarity. */
  public static double estimate(long[] a, long[] b) {
    Preconditions.checkArgument(a.length == b.length, "Cannot compare signatures of %s and %s values",
        a.length, b.length);
    int equal = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        equal++;
      }
    }
    return (double) equal / a.length;
  }

  /** One bucket key per band: a hash of the band's {@code rows} values, salted with the band index. */
  public static long[] bandKeys(long[] signature, int bands, int rows) {
    long[] keys = new long[bands];
    for (int b = 0; b < bands; b++) {
      long h = Hash64.mix(b + 1L);
      for (int r = 0; r < rows; r++) {
        h = Hash64.mix(h * 0x9e3779b97f4a7c15L + signature[b * rows + r]);
      }
      keys[b] = h;
    }
    return keys;
  }
}
