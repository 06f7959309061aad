package dev.refinery.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter: weight decay decoupled from the gradient), as {@code torch.optim.AdamW}, with a
 * linear warm-up then linear decay to zero (TRL's default schedule). Moments live next to the parameters and are
 * saved in checkpoints, so a resumed run continues exactly.
 */
public final class AdamW {
  private final OptimizerSettings settings;
  private final int totalSteps;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();

  /** Hyper-parameters: torch's AdamW defaults except the learning rate. */
  public record OptimizerSettings(double learningRate, double weightDecay, double beta1, double beta2,
      double epsilon, int warmupSteps, double maxGradNorm) implements java.io.Serializable {}

  public AdamW(OptimizerSettings settings, int totalSteps, Map<String, NDArray> parameters) {
    this.settings = settings;
    this.totalSteps = totalSteps;
    parameters.forEach((name, p) -> {
      firstMoments.put(name, p.zerosLike());
      secondMoments.put(name, p.zerosLike());
    });
  }

  /** The learning rate of 1-based {@code step}. */
  public double learningRate(int step) {
    double lr = settings.learningRate();
    if (step <= settings.warmupSteps()) {
      return lr * step / Math.max(1, settings.warmupSteps());
    }
    int decaySteps = Math.max(1, totalSteps - settings.warmupSteps());
    return lr * Math.max(0.0, (double) (totalSteps - step + 1) / decaySteps);
  }

  /** Applies one update of 1-based {@code step} with {@code gradients} (already clipped). */
  public void step(int step, Map<String, NDArray> parameters, Map<String, NDArray> gradients) {
    double lr = learningRate(step);
    double correction1 = 1 - Math.pow(settings.beta1(), step);
    double correction2 = 1 - Math.pow(settings.beta2(), step);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      gradients.forEach((name, g) -> {
        // A detached view: the update writes the parameter's storage without autograd seeing an in-place op on a
        // leaf (PyTorch's grad mode is per thread, and Spark task threads start with it on).
        NDArray p = parameters.get(name).stopGradient();
        NDArray m = firstMoments.get(name);
        NDArray v = secondMoments.get(name);
        m.muli(settings.beta1()).addi(g.mul(1 - settings.beta1()));
        v.muli(settings.beta2()).addi(g.square().mul(1 - settings.beta2()));
        if (settings.weightDecay() > 0) {
          p.subi(p.mul(lr * settings.weightDecay()));
        }
        NDArray denominator = v.div(correction2).sqrt().add(settings.epsilon());
        p.subi(m.div(correction1).div(denominator).mul(lr));
      });
    }
  }

  /** Clips {@code gradients} in place to a total L2 norm of {@code maxGradNorm}; returns the norm before. */
  public double clip(Map<String, NDArray> gradients) {
    double squared = 0;
    for (NDArray g : gradients.values()) {
      try (NDArray s = g.square().sum()) {
        squared += s.getFloat();
      }
    }
    double norm = Math.sqrt(squared);
    if (settings.maxGradNorm() > 0 && norm > settings.maxGradNorm()) {
      double scale = settings.maxGradNorm() / (norm + 1e-6);
      gradients.values().forEach(g -> g.muli(scale));
    }
    return norm;
  }

  public NDList state() {
    NDList list = new NDList();
    firstMoments.forEach((name, m) -> {
      m.setName("m." + name);
      list.add(m);
    });
    secondMoments.forEach((name, v) -> {
      v.setName("v." + name);
      list.add(v);
    });
    return list;
  }

  public void load(NDList state) {
    for (NDArray saved : state) {
      String name = saved.getName();
      Map<String, NDArray> target = name.startsWith("m.") ? firstMoments : secondMoments;
      NDArray moment = target.get(name.substring(2));
      if (moment != null) {
        moment.muli(0).addi(saved);
      }
    }
  }
}
