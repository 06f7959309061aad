package dev.refinery.dedup.minhash;

/** 64-bit hashing helpers: fast, deterministic across JVMs, and with no dependencies. */
final class Hash64 {
  private Hash64() {}

  /** MurmurHash3's 64-bit finaliser: a bijection on 64-bit values with full avalanche. */
  static long mix(long value) {
    long x = value;
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }

  /** FNV-1a over the UTF-16 code units of {@code text[from, to)}, then {@link #mix}. */
  static long of(CharSequence text, int from, int to) {
    long h = 0xcbf29ce484222325L;
    for (int i = from; i < to; i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** The SplitMix64 sequence: well-spread seeds from one seed. */
  static long splitMix(long state) {
    return mix(state + 0x9e3779b97f4a7c15L);
  }
}
