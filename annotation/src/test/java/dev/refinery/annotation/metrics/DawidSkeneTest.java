package dev.refinery.annotation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DawidSkeneTest {
  /** Five simulated raters with known confusion matrices over 3 classes, 4000 items. */
  @Test
  void recoversKnownConfusionMatrices() {
    double[] priors = {0.5, 0.3, 0.2};
    double[][][] truth = {
        {{0.9, 0.05, 0.05}, {0.05, 0.9, 0.05}, {0.05, 0.05, 0.9}},
        {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.1, 0.1, 0.8}},
        {{0.6, 0.2, 0.2}, {0.3, 0.6, 0.1}, {0.2, 0.2, 0.6}},
        {{0.95, 0.05, 0.0}, {0.2, 0.7, 0.1}, {0.0, 0.1, 0.9}},
        {{0.4, 0.3, 0.3}, {0.3, 0.4, 0.3}, {0.3, 0.3, 0.4}}};
    SplittableRandom random = new SplittableRandom(42);
    List<DawidSkene.Item> items = new ArrayList<>();
    int[] trueClasses = new int[4000];
    for (int i = 0; i < trueClasses.length; i++) {
      int c = draw(priors, random);
      trueClasses[i] = c;
      int[] raters = {0, 1, 2, 3, 4};
      int[] labels = new int[raters.length];
      for (int r = 0; r < raters.length; r++) {
        labels[r] = draw(truth[r][c], random);
      }
      items.add(new DawidSkene.Item(raters, labels));
    }
    DawidSkene.Fit fit = DawidSkene.fit(items, 5, 3, 200, 1e-10, 0.01);

    assertThat(fit.converged()).isTrue();
    for (int c = 0; c < 3; c++) {
      assertThat(fit.params().priors()[c]).isCloseTo(priors[c], within(0.03));
    }
    for (int r = 0; r < 5; r++) {
      for (int c = 0; c < 3; c++) {
        for (int l = 0; l < 3; l++) {
          assertThat(fit.params().confusion()[r][c][l]).as("rater %d true %d said %d", r, c, l)
              .isCloseTo(truth[r][c][l], within(0.05));
        }
      }
    }
    int correct = 0;
    for (int i = 0; i < items.size(); i++) {
      double[] posterior = fit.params().posterior(items.get(i));
      int best = posterior[0] >= posterior[1] && posterior[0] >= posterior[2] ? 0 : posterior[1] >= posterior[2] ? 1 : 2;
      correct += best == trueClasses[i] ? 1 : 0;
    }
    assertThat(correct / 4000.0).isGreaterThan(0.95);
    assertThat(fit.params().accuracy(0)).isGreaterThan(fit.params().accuracy(4));
  }

  @Test
  void mergedStatsEqualOnePass() {
    List<DawidSkene.Item> items = List.of(
        new DawidSkene.Item(new int[] {0, 1}, new int[] {0, 0}),
        new DawidSkene.Item(new int[] {0, 1}, new int[] {1, 0}),
        new DawidSkene.Item(new int[] {1}, new int[] {1}));
    DawidSkene.Stats whole = new DawidSkene.Stats(2, 2);
    items.forEach(i -> whole.add(i, null));
    DawidSkene.Stats left = new DawidSkene.Stats(2, 2);
    left.add(items.get(0), null);
    DawidSkene.Stats right = new DawidSkene.Stats(2, 2);
    right.add(items.get(1), null);
    right.add(items.get(2), null);
    DawidSkene.Params a = whole.toParams(0.1);
    DawidSkene.Params b = left.merge(right).toParams(0.1);
    assertThat(b.priors()).containsExactly(a.priors());
    assertThat(b.confusion()[1][0]).containsExactly(a.confusion()[1][0]);
  }

  private static int draw(double[] p, SplittableRandom random) {
    double u = random.nextDouble();
    double cumulative = 0;
    for (int i = 0; i < p.length; i++) {
      cumulative += p[i];
      if (u < cumulative) {
        return i;
      }
    }
    return p.length - 1;
  }

  @Test
  void patternCountsGiveTheSameFitAsRepeatedItems() {
    DawidSkene.Item agree = new DawidSkene.Item(new int[] {0, 1, 2}, new int[] {0, 0, 0});
    DawidSkene.Item split = new DawidSkene.Item(new int[] {0, 1, 2}, new int[] {0, 2, 2});
    DawidSkene.Item other = new DawidSkene.Item(new int[] {1, 2}, new int[] {1, 2});
    List<DawidSkene.Item> repeated = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      repeated.add(agree);
    }
    for (int i = 0; i < 7; i++) {
      repeated.add(split);
    }
    for (int i = 0; i < 3; i++) {
      repeated.add(other);
    }
    DawidSkene.Fit expanded = DawidSkene.fit(repeated, 3, 3, 50, 1e-12, 0.01);
    DawidSkene.Fit compact = DawidSkene.fit(params -> {
      DawidSkene.Stats stats = new DawidSkene.Stats(3, 3);
      stats.add(agree, params, 30);
      stats.add(split, params, 7);
      stats.add(other, params, 3);
      return stats;
    }, 50, 1e-12, 0.01);
    assertThat(compact.iterations()).isEqualTo(expanded.iterations());
    assertThat(compact.logLikelihood()).isCloseTo(expanded.logLikelihood(), within(1e-9));
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        assertThat(compact.params().confusion()[r][c]).containsExactly(expanded.params().confusion()[r][c],
            within(1e-12));
      }
    }
  }
}
