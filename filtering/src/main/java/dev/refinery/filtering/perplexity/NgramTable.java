package dev.refinery.filtering.perplexity;

import java.util.Arrays;

/**
 * One order of an n-gram model: an open-addressing (linear probing) hash table from the 64-bit hash of
 * an n-gram's word ids ({@link NgramKeys}) to its log10 probability and log10 backoff, stored as three
 * parallel primitive arrays. Like KenLM's probing model, n-grams are identified by their hash alone; with
 * 64 bits, a collision among even a billion n-grams has probability about 3%, among the millions of a
 * reference-corpus model about 1e-7. Key 0 marks an empty slot ({@link NgramKeys} never yields it).
 */
final class NgramTable {
  static final float MISSING = Float.NaN;

  final long[] keys;
  final float[] probs;
  final float[] backoffs;
  private final int mask;
  private int size;

  NgramTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, (int) Math.min(1L << 30, (long) (expected * 1.5) + 1))) << 1;
    this.keys = new long[capacity];
    this.probs = new float[capacity];
    this.backoffs = new float[capacity];
    this.mask = capacity - 1;
  }

  /** Wraps arrays read from the binary form. */
  NgramTable(long[] keys, float[] probs, float[] backoffs, int size) {
    if (Integer.bitCount(keys.length) != 1 || probs.length != keys.length || backoffs.length != keys.length) {
      throw new IllegalArgumentException("Invalid n-gram table arrays: capacity " + keys.length);
    }
    this.keys = keys;
    this.probs = probs;
    this.backoffs = backoffs;
    this.mask = keys.length - 1;
    this.size = size;
  }

  int size() {
    return size;
  }

  int capacity() {
    return keys.length;
  }

  /** Inserts or replaces. Returns false when the key was already present. */
  boolean put(long key, float prob, float backoff) {
    int slot = (int) (key & mask);
    while (true) {
      long k = keys[slot];
      if (k == 0) {
        if (size + 1 > keys.length * 3L / 4) {
          throw new IllegalStateException("Cannot add n-gram: table full (" + size + " of " + keys.length + ")");
        }
        keys[slot] = key;
        probs[slot] = prob;
        backoffs[slot] = backoff;
        size++;
        return true;
      }
      if (k == key) {
        probs[slot] = prob;
        backoffs[slot] = backoff;
        return false;
      }
      slot = (slot + 1) & mask;
    }
  }

  boolean full() {
    return size + 1 > keys.length * 3L / 4;
  }

  /** A copy with twice the capacity. */
  NgramTable grown() {
    NgramTable bigger = new NgramTable(keys.length);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != 0) {
        bigger.put(keys[i], probs[i], backoffs[i]);
      }
    }
    return bigger;
  }

  /** The slot holding {@code key}, or -1. */
  int find(long key) {
    int slot = (int) (key & mask);
    while (true) {
      long k = keys[slot];
      if (k == key) {
        return slot;
      }
      if (k == 0) {
        return -1;
      }
      slot = (slot + 1) & mask;
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NgramTable t && Arrays.equals(keys, t.keys) && Arrays.equals(probs, t.probs)
        && Arrays.equals(backoffs, t.backoffs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(keys);
  }
}
