package dev.refinery.training.train;

import ai.djl.ndarray.NDArray;
import dev.refinery.core.error.Preconditions;
import dev.refinery.llm.djl.AutogradScalars;

/**
 * The pairwise preference losses, per example (callers weight and average).
 *
 * <ul>
 *   <li>Bradley-Terry reward loss: {@code -log sigmoid(r_chosen - r_rejected)} (TRL's RewardTrainer).
 *   <li>DPO, sigmoid: with {@code h = (logp_chosen - ref_chosen) - (logp_rejected - ref_rejected)},
 *       {@code -log sigmoid(beta * h)} (TRL's DPOTrainer, {@code loss_type="sigmoid"}).
 *   <li>IPO: {@code (h - 1 / (2 beta))^2} (TRL's {@code loss_type="ipo"}; TRL averages the log-probs per token
 *       for IPO, callers pass whichever they use).
 * </ul>
 *
 * <p>{@code -log sigmoid(x)} is computed as {@code softplus(-x) = max(-x, 0) + log(1 + exp(-|x|))}, which neither
 * overflows nor loses precision for large |x|. Scalars come from {@link AutogradScalars} (in the inputs' manager), so
 * that a garbage collection before backward cannot free them.
 */
public final class PreferenceLosses {
  private PreferenceLosses() {}

  public enum DpoLoss {
    SIGMOID,
    IPO
  }

  public static NDArray rewardLoss(NDArray chosenReward, NDArray rejectedReward) {
    return negativeLogSigmoid(chosenReward.sub(rejectedReward));
  }

  /** The DPO logit difference {@code h} (without beta). */
  public static NDArray logRatioDifference(
      NDArray policyChosen, NDArray referenceChosen, NDArray policyRejected, NDArray referenceRejected) {
    return policyChosen.sub(referenceChosen).sub(policyRejected.sub(referenceRejected));
  }

  public static NDArray dpoLoss(NDArray policyChosen, NDArray referenceChosen, NDArray policyRejected,
      NDArray referenceRejected, double beta, DpoLoss type) {
    Preconditions.checkArgument(beta > 0, "Invalid beta: %s (must be > 0)", beta);
    NDArray h = logRatioDifference(policyChosen, referenceChosen, policyRejected, referenceRejected);
    return switch (type) {
      case SIGMOID -> negativeLogSigmoid(h.mul(AutogradScalars.of(h.getManager(), beta)));
      case IPO -> h.sub(AutogradScalars.of(h.getManager(), 1.0 / (2.0 * beta))).square();
    };
  }

  /** {@code -log sigmoid(x)}, stable. */
  public static NDArray negativeLogSigmoid(NDArray x) {
    NDArray negative = x.neg();
    return negative.maximum(AutogradScalars.of(x.getManager(), 0))
        .add(x.abs().neg().exp().add(AutogradScalars.of(x.getManager(), 1)).log());
  }

  /** The same losses on doubles, for metrics and tests. */
  public static double dpoLoss(double policyChosen, double referenceChosen, double policyRejected,
      double referenceRejected, double beta) {
    double x = beta * ((policyChosen - referenceChosen) - (policyRejected - referenceRejected));
    return Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }
}
