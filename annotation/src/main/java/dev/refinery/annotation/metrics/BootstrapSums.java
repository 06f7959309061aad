package dev.refinery.annotation.metrics;

import dev.refinery.core.error.Preconditions;
import java.io.Serializable;

/**
 * Sums of per-unit feature vectors, for the full sample and for each of B Poisson-bootstrap replicates, as
 * one mergeable state. Every metric that is a function of additive per-unit counts (a coincidence matrix,
 * Fleiss' per-unit agreement and category totals, a pair of raters' confusion table) can then be computed
 * from the full sums (the estimate) and from each replicate's sums (its bootstrap distribution) after a
 * single pass over the units.
 *
 * <p>Features {@code [0, bootstrapDimensions)} are resampled; the rest ({@code [bootstrapDimensions,
 * dimensions)}) are summed for the estimate only, which bounds the state at B x bootstrapDimensions doubles.
 */
public final class BootstrapSums implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int replicates;
  private final int bootstrapDimensions;
  private final long seed;
  private final double[] full;
  private final double[] sums;
  private transient int[] weights;

  public BootstrapSums(int dimensions, int bootstrapDimensions, int replicates, long seed) {
    Preconditions.checkArgument(bootstrapDimensions <= dimensions, "Invalid bootstrap dimensions %s > %s",
        bootstrapDimensions, dimensions);
    this.replicates = replicates;
    this.bootstrapDimensions = bootstrapDimensions;
    this.seed = seed;
    this.full = new double[dimensions];
    this.sums = new double[replicates * bootstrapDimensions];
  }

  /** Adds one unit's sparse features ({@code nnz} entries of {@code index}/{@code value}). */
  public void add(long unitKey, int[] index, double[] value, int nnz) {
    int resampled = 0;
    for (int e = 0; e < nnz; e++) {
      full[index[e]] += value[e];
      if (index[e] < bootstrapDimensions) {
        resampled++;
      }
    }
    if (resampled == 0 || replicates == 0) {
      return;
    }
    if (weights == null) {
      weights = new int[replicates];
    }
    PoissonBootstrap.weights(seed, unitKey, weights);
    for (int b = 0; b < replicates; b++) {
      int w = weights[b];
      if (w == 0) {
        continue;
      }
      int base = b * bootstrapDimensions;
      for (int e = 0; e < nnz; e++) {
        if (index[e] < bootstrapDimensions) {
          sums[base + index[e]] += w * value[e];
        }
      }
    }
  }

  public BootstrapSums merge(BootstrapSums other) {
    for (int i = 0; i < full.length; i++) {
      full[i] += other.full[i];
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] += other.sums[i];
    }
    return this;
  }

  public int replicates() {
    return replicates;
  }

  /** The full-sample sum of feature {@code i}. */
  public double full(int i) {
    return full[i];
  }

  /** Replicate {@code b}'s sum of feature {@code i} (a resampled feature). */
  public double replicate(int b, int i) {
    return sums[b * bootstrapDimensions + i];
  }

  public int bootstrapDimensions() {
    return bootstrapDimensions;
  }

  /** A view of feature sums: the full sample ({@code b = -1}) or one replicate. */
  public interface View {
    double get(int feature);
  }

  public View view(int b) {
    return b < 0 ? i -> full[i] : i -> sums[b * bootstrapDimensions + i];
  }
}
