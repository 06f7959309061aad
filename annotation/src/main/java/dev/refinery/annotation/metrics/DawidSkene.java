package dev.refinery.annotation.metrics;

import dev.refinery.core.error.Preconditions;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Dawid and Skene (1979): the true class of each item is latent; each rater has a confusion matrix
 * {@code theta[r][true][said]}; EM alternates posteriors per item (E-step) and class priors plus confusion
 * matrices from posterior-weighted counts (M-step).
 *
 * <p>The M-step needs only sums over items, so an iteration is a mergeable {@link Stats}: local code folds
 * a list, Spark folds partitions and merges. EM starts from majority-vote posteriors. {@code smoothing} is a
 * Dirichlet pseudo-count added to every confusion cell and class count, which keeps a rater who never used a
 * class from getting a zero probability that would veto it for every item.
 */
public final class DawidSkene {
  private DawidSkene() {}

  /** One item: parallel arrays of rater indices and the class each said. */
  public record Item(int[] raters, int[] labels) implements Serializable {
    public Item {
      Preconditions.checkArgument(raters.length == labels.length, "Invalid item: %s raters but %s labels",
          raters.length, labels.length);
    }
  }

  /** Fitted parameters: class priors and per-rater confusion matrices (rows: true class, sum to 1). */
  public record Params(double[] priors, double[][][] confusion) implements Serializable {
    public int classes() {
      return priors.length;
    }

    /** Posterior over the true class of one item. */
    public double[] posterior(Item item) {
      int k = priors.length;
      double[] log = new double[k];
      for (int c = 0; c < k; c++) {
        log[c] = Math.log(priors[c]);
        for (int i = 0; i < item.raters().length; i++) {
          log[c] += Math.log(confusion[item.raters()[i]][c][item.labels()[i]]);
        }
      }
      return normaliseLog(log);
    }

    /** A rater's probability of saying the true class, weighted by the class priors. */
    public double accuracy(int rater) {
      double accuracy = 0;
      for (int c = 0; c < priors.length; c++) {
        accuracy += priors[c] * confusion[rater][c][c];
      }
      return accuracy;
    }
  }

  /** Result of a fit: parameters, iterations run, whether the log-likelihood converged, and its value. */
  public record Fit(Params params, int iterations, boolean converged, double logLikelihood) {}

  /** Posterior-weighted counts over items: what the M-step needs. Mergeable. */
  public static final class Stats implements Serializable {
    private final double[] classTotals;
    private final double[][][] counts;
    private double logLikelihood;
    private long items;

    public Stats(int raters, int classes) {
      classTotals = new double[classes];
      counts = new double[raters][classes][classes];
    }

    /** Adds one item: its posterior given {@code params}, or majority-vote shares when params is null. */
    public void add(Item item, Params params) {
      add(item, params, 1);
    }

    /**
     * Adds {@code copies} identical items at once. Items with the same raters and labels have the same
     * posterior, so EM over distinct (raters, labels) patterns with their counts equals EM over all items.
     */
    public void add(Item item, Params params, long copies) {
      int k = classTotals.length;
      double[] posterior;
      if (params == null) {
        posterior = new double[k];
        for (int label : item.labels()) {
          posterior[label] += 1.0 / item.labels().length;
        }
      } else {
        double[] log = new double[k];
        for (int c = 0; c < k; c++) {
          log[c] = Math.log(params.priors()[c]);
          for (int i = 0; i < item.raters().length; i++) {
            log[c] += Math.log(params.confusion()[item.raters()[i]][c][item.labels()[i]]);
          }
        }
        double max = Arrays.stream(log).max().orElse(0);
        double sum = 0;
        for (double l : log) {
          sum += Math.exp(l - max);
        }
        logLikelihood += copies * (max + Math.log(sum));
        posterior = normaliseLog(log);
      }
      for (int c = 0; c < k; c++) {
        double weight = copies * posterior[c];
        classTotals[c] += weight;
        for (int i = 0; i < item.raters().length; i++) {
          counts[item.raters()[i]][c][item.labels()[i]] += weight;
        }
      }
      items += copies;
    }

    public Stats merge(Stats other) {
      for (int c = 0; c < classTotals.length; c++) {
        classTotals[c] += other.classTotals[c];
      }
      for (int r = 0; r < counts.length; r++) {
        for (int c = 0; c < classTotals.length; c++) {
          for (int l = 0; l < classTotals.length; l++) {
            counts[r][c][l] += other.counts[r][c][l];
          }
        }
      }
      logLikelihood += other.logLikelihood;
      items += other.items;
      return this;
    }

    public double logLikelihood() {
      return logLikelihood;
    }

    /** The M-step. */
    public Params toParams(double smoothing) {
      int k = classTotals.length;
      double[] priors = new double[k];
      double total = Arrays.stream(classTotals).sum() + k * smoothing;
      for (int c = 0; c < k; c++) {
        priors[c] = (classTotals[c] + smoothing) / total;
      }
      double[][][] confusion = new double[counts.length][k][k];
      for (int r = 0; r < counts.length; r++) {
        for (int c = 0; c < k; c++) {
          double row = Arrays.stream(counts[r][c]).sum() + k * smoothing;
          for (int l = 0; l < k; l++) {
            confusion[r][c][l] = (counts[r][c][l] + smoothing) / row;
          }
        }
      }
      return new Params(priors, confusion);
    }
  }

  /** Something that can fold all items into {@link Stats} under given params: a list, or a Spark RDD. */
  @FunctionalInterface
  public interface Pass {
    Stats run(Params params);
  }

  /** Fits on items held in memory. */
  public static Fit fit(Iterable<Item> items, int raters, int classes, int maxIterations, double tolerance,
      double smoothing) {
    return fit(params -> {
      Stats stats = new Stats(raters, classes);
      for (Item item : items) {
        stats.add(item, params);
      }
      return stats;
    }, maxIterations, tolerance, smoothing);
  }

  /**
   * Runs EM with one {@link Pass} per iteration, stopping when the log-likelihood improves by less than
   * {@code tolerance} (relative to its magnitude) or after {@code maxIterations}.
   */
  public static Fit fit(Pass pass, int maxIterations, double tolerance, double smoothing) {
    Params params = pass.run(null).toParams(smoothing);
    double previous = Double.NEGATIVE_INFINITY;
    for (int iteration = 1; iteration <= maxIterations; iteration++) {
      Stats stats = pass.run(params);
      double logLikelihood = stats.logLikelihood();
      Params next = stats.toParams(smoothing);
      if (Math.abs(logLikelihood - previous) <= tolerance * Math.max(1, Math.abs(logLikelihood))) {
        return new Fit(next, iteration, true, logLikelihood);
      }
      previous = logLikelihood;
      params = next;
    }
    return new Fit(params, maxIterations, false, previous);
  }

  static double[] normaliseLog(double[] log) {
    double max = Arrays.stream(log).max().orElse(0);
    double[] p = new double[log.length];
    double sum = 0;
    for (int i = 0; i < log.length; i++) {
      p[i] = Math.exp(log[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < log.length; i++) {
      p[i] /= sum;
    }
    return p;
  }
}
