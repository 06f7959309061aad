package dev.refinery.annotation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refinery.annotation.metrics.CohenKappa.Weighting;
import dev.refinery.annotation.metrics.KrippendorffAlpha.Level;
import org.junit.jupiter.api.Test;

/** Exact values from the literature and the reference implementations' documentation. */
class PublishedValuesTest {
  private static final double N = Double.NaN;

  /** Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders x 12 units, missing values. */
  private static final double[][] KRIPPENDORFF_2011 = {
      {1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N},
      {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3},
      {N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N},
      {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N}};

  /** Wikipedia's Krippendorff's alpha example: 3 coders x 15 units. */
  private static final double[][] WIKIPEDIA_ALPHA = {
      {N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3},
      {1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N},
      {N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4}};

  @Test
  void krippendorff2011AllLevels() {
    assertThat(KrippendorffAlpha.alpha(KRIPPENDORFF_2011, Level.NOMINAL)).isCloseTo(0.743, within(5e-4));
    assertThat(KrippendorffAlpha.alpha(KRIPPENDORFF_2011, Level.ORDINAL)).isCloseTo(0.815, within(5e-4));
    assertThat(KrippendorffAlpha.alpha(KRIPPENDORFF_2011, Level.INTERVAL)).isCloseTo(0.849, within(5e-4));
    assertThat(KrippendorffAlpha.alpha(KRIPPENDORFF_2011, Level.RATIO)).isCloseTo(0.797, within(5e-4));
  }

  @Test
  void wikipediaAlpha() {
    assertThat(KrippendorffAlpha.alpha(WIKIPEDIA_ALPHA, Level.NOMINAL)).isCloseTo(0.691358, within(5e-7));
    assertThat(KrippendorffAlpha.alpha(WIKIPEDIA_ALPHA, Level.INTERVAL)).isCloseTo(0.810845, within(5e-7));
  }

  @Test
  void alphaIsUndefinedWithoutVariation() {
    assertThat(KrippendorffAlpha.alpha(new double[][] {{1, 1}, {1, 1}}, Level.NOMINAL)).isNaN();
  }

  /** Wikipedia's Fleiss' kappa example: 10 subjects, 14 raters, 5 categories. */
  @Test
  void wikipediaFleiss() {
    double[][] table = {
        {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
        {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7}};
    assertThat(FleissKappa.kappa(table)).isCloseTo(0.210, within(5e-4));
  }

  /** Fleiss (1971): 30 patients, 6 psychiatrists, 5 diagnoses (R irr's `diagnoses`). */
  @Test
  void fleiss1971Diagnoses() {
    int[][] ratings = {
        {4, 4, 4, 4, 4, 4}, {2, 2, 2, 5, 5, 5}, {2, 3, 3, 3, 3, 5}, {5, 5, 5, 5, 5, 5}, {2, 2, 2, 4, 4, 4},
        {1, 1, 3, 3, 3, 3}, {3, 3, 3, 3, 5, 5}, {1, 1, 3, 3, 3, 4}, {1, 1, 4, 4, 4, 4}, {5, 5, 5, 5, 5, 5},
        {1, 4, 4, 4, 4, 4}, {1, 2, 4, 4, 4, 4}, {2, 2, 2, 3, 3, 3}, {1, 4, 4, 4, 4, 4}, {2, 2, 4, 4, 4, 5},
        {3, 3, 3, 3, 3, 5}, {1, 1, 1, 4, 5, 5}, {1, 1, 1, 1, 1, 2}, {2, 2, 4, 4, 4, 4}, {1, 3, 3, 5, 5, 5},
        {5, 5, 5, 5, 5, 5}, {2, 4, 4, 4, 4, 4}, {2, 2, 4, 5, 5, 5}, {1, 1, 4, 4, 4, 4}, {1, 4, 4, 4, 4, 5},
        {2, 2, 2, 2, 2, 4}, {1, 1, 1, 1, 5, 5}, {2, 2, 4, 4, 4, 4}, {1, 3, 3, 3, 3, 3}, {5, 5, 5, 5, 5, 5}};
    double[][] counts = new double[ratings.length][5];
    for (int u = 0; u < ratings.length; u++) {
      for (int r : ratings[u]) {
        counts[u][r - 1]++;
      }
    }
    assertThat(FleissKappa.kappa(counts)).isCloseTo(0.4302445, within(5e-8));
  }

  /** The SAS PROC FREQ agreement example (statsmodels' table10): kappa 0.4842, linear-weighted 0.4701. */
  @Test
  void sasCohenKappa() {
    double[][] table = {{0, 4, 1}, {0, 8, 0}, {0, 1, 5}};
    assertThat(CohenKappa.kappa(table, Weighting.NONE)).isCloseTo(0.4842, within(5e-5));
    assertThat(CohenKappa.kappa(table, Weighting.LINEAR)).isCloseTo(0.4701, within(5e-5));
  }

  @Test
  void perfectAgreementIsOne() {
    double[][] table = {{5, 0}, {0, 7}};
    assertThat(CohenKappa.kappa(table, Weighting.NONE)).isEqualTo(1.0);
    assertThat(CohenKappa.kappa(table, Weighting.QUADRATIC)).isEqualTo(1.0);
  }
}
