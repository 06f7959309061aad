package dev.refinery.annotation.metrics;

import java.util.SplittableRandom;

/**
 * Bootstrap multiplicities for distributed data (the Poisson bootstrap, Chamandy et al. 2012, "Estimating
 * uncertainty for massive data streams"): instead of drawing N units with replacement, which needs all
 * units in one place, each unit appears {@code w ~ Poisson(1)} times in each replicate. Replicates then are
 * sums over units, computed in one pass over partitioned data, and converge to the multinomial bootstrap as
 * N grows. Weights are a pure function of (seed, unit key, replicate), so reruns and any partitioning give
 * identical intervals.
 */
public final class PoissonBootstrap {
  private static final double EXP_MINUS_ONE = Math.exp(-1);

  private PoissonBootstrap() {}

  /** Fills {@code weights[b]} with the unit's multiplicity in replicate b. */
  public static void weights(long seed, long unitKey, int[] weights) {
    SplittableRandom random = new SplittableRandom(mix(seed ^ mix(unitKey)));
    for (int b = 0; b < weights.length; b++) {
      weights[b] = poissonOne(random);
    }
  }

  /** A Poisson(1) draw by inversion (two comparisons on average). */
  static int poissonOne(SplittableRandom random) {
    double u = random.nextDouble();
    int k = 0;
    double p = EXP_MINUS_ONE;
    double cumulative = p;
    while (u > cumulative && k < 30) {
      k++;
      p /= k;
      cumulative += p;
    }
    return k;
  }

  /** A 64-bit key for a unit id string (stable across JVMs, unlike String.hashCode collisions at scale). */
  public static long key(String unit) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < unit.length(); i++) {
      h ^= unit.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
