package dev.refinery.training.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One training run's settings. {@code kind}: reward model (Bradley-Terry) or DPO. Serializable, so a Spark task
 * can carry it.
 */
public record TrainingSpec(
    Kind kind,
    long seed,
    double beta,
    PreferenceLosses.DpoLoss dpoLoss,
    AdamW.OptimizerSettings optimizer,
    int batchSize,
    int gradientAccumulation,
    int maxSteps,
    Trainable trainable,
    int trainableLayers,
    int checkpointEvery,
    int maxLength) implements java.io.Serializable {

  public enum Kind {
    RM,
    DPO
  }

  /** Which parameters the optimiser updates: the head (reward head / final norm), the last blocks, or all. */
  public enum Trainable {
    HEAD,
    LAST_LAYERS,
    ALL
  }

  /** Hyper-parameters as strings, for {@code training_runs}. */
  public Map<String, String> hyperParameters() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("kind", kind.name().toLowerCase(Locale.ROOT));
    out.put("seed", Long.toString(seed));
    if (kind == Kind.DPO) {
      out.put("beta", Double.toString(beta));
      out.put("loss", dpoLoss.name().toLowerCase(Locale.ROOT));
    }
    out.put("learning_rate", Double.toString(optimizer.learningRate()));
    out.put("weight_decay", Double.toString(optimizer.weightDecay()));
    out.put("adam_beta1", Double.toString(optimizer.beta1()));
    out.put("adam_beta2", Double.toString(optimizer.beta2()));
    out.put("adam_epsilon", Double.toString(optimizer.epsilon()));
    out.put("warmup_steps", Integer.toString(optimizer.warmupSteps()));
    out.put("max_grad_norm", Double.toString(optimizer.maxGradNorm()));
    out.put("batch_size", Integer.toString(batchSize));
    out.put("gradient_accumulation", Integer.toString(gradientAccumulation));
    out.put("max_steps", Integer.toString(maxSteps));
    out.put("trainable", trainable.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    out.put("trainable_layers", Integer.toString(trainableLayers));
    out.put("max_length", Integer.toString(maxLength));
    return out;
  }
}
