package dev.refinery.dedup.minhash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import org.junit.jupiter.api.Test;

class LshParametersTest {

  @Test
  void optimalParametersPutTheCollisionCurveAtTheThreshold() {
    LshParameters p = LshParameters.optimal(0.8, 128, 0.5, 0.5);
    assertThat(p.numPermutationsUsed()).isLessThanOrEqualTo(128);
    // The S-curve's steep part sits around the threshold: near-certain above, rare well below.
    assertThat(p).isEqualTo(new LshParameters(9, 13));
    assertThat(p.collisionProbability(0.9)).isGreaterThan(0.9);
    assertThat(p.collisionProbability(0.8)).isBetween(0.3, 0.6);
    assertThat(p.collisionProbability(0.6)).isLessThan(0.02);
    // No other split has a smaller weighted error.
    double best = 0.5 * LshParameters.falsePositiveArea(0.8, p.bands(), p.rows())
        + 0.5 * LshParameters.falseNegativeArea(0.8, p.bands(), p.rows());
    for (int b = 1; b <= 128; b++) {
      for (int r = 1; b * r <= 128; r++) {
        double error = 0.5 * LshParameters.falsePositiveArea(0.8, b, r)
            + 0.5 * LshParameters.falseNegativeArea(0.8, b, r);
        assertThat(error).isGreaterThanOrEqualTo(best - 1e-12);
      }
    }
  }

  @Test
  void weightingFalseNegativesMoreGivesMoreBandsPerRow() {
    LshParameters balanced = LshParameters.optimal(0.8, 128, 0.5, 0.5);
    LshParameters recall = LshParameters.optimal(0.8, 128, 0.2, 0.8);
    assertThat(recall).isEqualTo(new LshParameters(12, 10));
    assertThat(recall.collisionProbability(0.75)).isGreaterThan(balanced.collisionProbability(0.75));
  }

  @Test
  void configPinsDefaultsAndRejectsInconsistentBands() {
    RefineryConfig defaults = RefineryConfig.defaults();
    MinHashOptions options = MinHashOptions.from(defaults);
    assertThat(options.numPermutations()).isEqualTo(128);
    assertThat(options.shingleSize()).isEqualTo(5);
    assertThat(options.threshold()).isEqualTo(0.8);
    assertThat(options.lsh()).isEqualTo(new LshParameters(16, 8));
    assertThat(options.verify()).isEqualTo(MinHashOptions.Verify.ESTIMATE);
    assertThat(options.allPairsMaxBucket()).isEqualTo(8);
    assertThat(MinHashOptions.from(defaults.with("dedup-minhash.bands", 12).with("dedup-minhash.rows", 10)).lsh())
        .isEqualTo(new LshParameters(12, 10));
    assertThatThrownBy(() -> MinHashOptions.from(defaults.with("dedup-minhash.bands", 20)
        .with("dedup-minhash.rows", 8)))
        .isInstanceOf(RefineryException.class)
        .hasMessage("Invalid config key 'dedup-minhash.rows': expected bands x rows <= num-perm (128) but got 8");
    assertThatThrownBy(() -> MinHashOptions.from(defaults.with("dedup-minhash.verify", "maybe")))
        .hasMessage("Invalid config key 'dedup-minhash.verify': expected one of none, estimate, exact but got 'maybe'");
  }
}
