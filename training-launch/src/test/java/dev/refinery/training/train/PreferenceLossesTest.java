package dev.refinery.training.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class PreferenceLossesTest {
  // (policy chosen, reference chosen, policy rejected, reference rejected), beta 0.1.
  private static final double[][] WORKED = {{-5.0, -4.5, -5.2, -5.8}, {-3.0, -4.5, -6.0, -5.8}, {-2.0, -4.5, -8.0, -5.8}};

  /**
   * TRL's sigmoid loss, -log sigmoid(beta * ((pc - rc) - (pr - rr))), on the worked example. The issue
   * lists 0.7275, 0.6574 and 0.5351; no ordering of the four inputs and no beta in {0.05, 0.1, 0.2, 0.5, 1}
   * reproduces those under TRL's formula (h = -1.1, 1.7, 4.7 give 0.7497, 0.6118, 0.4855), so the test pins
   * TRL's values, computed here by hand: log(1 + exp(-0.1 h)).
   */
  @Test
  void dpoSigmoidLossMatchesTrlOnTheWorkedExample() {
    double[] expected = {Math.log1p(Math.exp(0.11)), Math.log1p(Math.exp(-0.17)), Math.log1p(Math.exp(-0.47))};
    assertThat(expected[0]).isCloseTo(0.7497, within(1e-4));
    assertThat(expected[1]).isCloseTo(0.6118, within(1e-4));
    assertThat(expected[2]).isCloseTo(0.4855, within(1e-4));
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int i = 0; i < WORKED.length; i++) {
        double[] w = WORKED[i];
        NDArray loss = PreferenceLosses.dpoLoss(scalar(manager, w[0]), scalar(manager, w[1]), scalar(manager, w[2]),
            scalar(manager, w[3]), 0.1, PreferenceLosses.DpoLoss.SIGMOID);
        assertThat((double) loss.getFloat()).isCloseTo(expected[i], within(1e-5));
        assertThat(PreferenceLosses.dpoLoss(w[0], w[1], w[2], w[3], 0.1)).isCloseTo(expected[i], within(1e-12));
      }
      // The loss falls as the policy prefers chosen more than the reference does.
      assertThat(expected[0]).isGreaterThan(expected[1]).isGreaterThan(expected[2]);
    }
  }

  @Test
  void stableForLargeLogits() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(new float[] {-200f, 0f, 200f});
      float[] values = PreferenceLosses.negativeLogSigmoid(x).toFloatArray();
      assertThat(values[0]).isCloseTo(200f, within(1e-3f));
      assertThat(values[1]).isCloseTo((float) Math.log(2), within(1e-6f));
      assertThat(values[2]).isCloseTo(0f, within(1e-6f));
    }
  }

  @Test
  void dpoGradientsMatchFiniteDifferences() {
    for (PreferenceLosses.DpoLoss type : PreferenceLosses.DpoLoss.values()) {
      for (double[] w : WORKED) {
        double[] analytic = autograd(w, type);
        for (int k = 0; k < 4; k++) {
          double eps = 1e-4;
          double[] plus = w.clone();
          double[] minus = w.clone();
          plus[k] += eps;
          minus[k] -= eps;
          double numeric = (dpo(plus, type) - dpo(minus, type)) / (2 * eps);
          assertThat(analytic[k]).as("%s d/dx%d at %s", type, k, java.util.Arrays.toString(w))
              .isCloseTo(numeric, within(1e-4 + 1e-3 * Math.abs(numeric)));
        }
      }
    }
  }

  @Test
  void rewardGradientsMatchFiniteDifferences() {
    double[][] rewards = {{0.3, -0.2}, {-1.5, 2.0}, {4.0, 3.5}};
    try (NDManager manager = NDManager.newBaseManager()) {
      for (double[] r : rewards) {
        NDArray chosen = scalar(manager, r[0]);
        NDArray rejected = scalar(manager, r[1]);
        chosen.setRequiresGradient(true);
        rejected.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          collector.backward(PreferenceLosses.rewardLoss(chosen, rejected));
        }
        double eps = 1e-4;
        double numericChosen = (bt(r[0] + eps, r[1]) - bt(r[0] - eps, r[1])) / (2 * eps);
        double numericRejected = (bt(r[0], r[1] + eps) - bt(r[0], r[1] - eps)) / (2 * eps);
        assertThat((double) chosen.getGradient().getFloat()).isCloseTo(numericChosen, within(1e-4));
        assertThat((double) rejected.getGradient().getFloat()).isCloseTo(numericRejected, within(1e-4));
        // d/dr_c = -(1 - sigmoid(r_c - r_r)): the analytic form.
        assertThat(numericChosen).isCloseTo(-1 / (1 + Math.exp(r[0] - r[1])), within(1e-6));
      }
    }
  }

  private static double[] autograd(double[] w, PreferenceLosses.DpoLoss type) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray[] inputs = new NDArray[4];
      for (int k = 0; k < 4; k++) {
        inputs[k] = manager.create(new double[] {w[k]});
        inputs[k].setRequiresGradient(true);
      }
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(PreferenceLosses.dpoLoss(inputs[0], inputs[1], inputs[2], inputs[3], 0.1, type).sum());
      }
      double[] out = new double[4];
      for (int k = 0; k < 4; k++) {
        out[k] = inputs[k].getGradient().toDoubleArray()[0];
      }
      return out;
    }
  }

  private static double dpo(double[] w, PreferenceLosses.DpoLoss type) {
    double h = (w[0] - w[1]) - (w[2] - w[3]);
    return type == PreferenceLosses.DpoLoss.SIGMOID ? Math.log1p(Math.exp(-0.1 * h)) : Math.pow(h - 5.0, 2);
  }

  private static double bt(double chosen, double rejected) {
    return Math.log1p(Math.exp(-(chosen - rejected)));
  }

  private static NDArray scalar(NDManager manager, double value) {
    return manager.create(new float[] {(float) value});
  }
}
