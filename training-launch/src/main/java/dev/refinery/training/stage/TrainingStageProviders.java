package dev.refinery.training.stage;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.table.Tables;
import dev.refinery.training.train.AdamW;
import dev.refinery.training.train.PreferenceLosses;
import dev.refinery.training.train.TrainingSpec;
import java.util.ArrayList;
import java.util.List;

/** Providers of {@code ref-logprobs}, {@code train-rm} and {@code train-dpo}, parsing {@code training.*}. */
public final class TrainingStageProviders {
  private TrainingStageProviders() {}

  static GpuScheduling.Resources resources(RefineryConfig config) {
    return new GpuScheduling.Resources(GpuScheduling.taskGpus(config),
        config.getInt("training.resources.task-cpus", 1, 256));
  }

  /** {@code ref-logprobs}. */
  public static final class RefLogprobs implements StageProvider {
    @Override
    public StageSpec spec() {
      return RefLogprobsStage.SPEC;
    }

    @Override
    public Stage create(RefineryConfig config) {
      String dataset = config.check("ref-logprobs.dataset",
          config.getString("ref-logprobs.dataset"),
          d -> d.equals(Tables.DPO_TRAIN) || d.equals(Tables.RM_TRAIN), "dpo_train or rm_train");
      return new RefLogprobsStage(dataset, ModelSettings.from(config),
          config.getInt("ref-logprobs.batch-size", 1, 4096),
          config.getInt("ref-logprobs.max-pairs", 0, Integer.MAX_VALUE),
          config.getInt("ref-logprobs.partitions", 1, 10_000), resources(config));
    }
  }

  /** {@code train-rm}: one run per seed. */
  public static final class TrainRm implements StageProvider {
    @Override
    public StageSpec spec() {
      return TrainStage.RM_SPEC;
    }

    @Override
    public Stage create(RefineryConfig config) {
      return trainStage(config, TrainingSpec.Kind.RM);
    }
  }

  /** {@code train-dpo}: one run per (seed, beta). */
  public static final class TrainDpo implements StageProvider {
    @Override
    public StageSpec spec() {
      return TrainStage.DPO_SPEC;
    }

    @Override
    public Stage create(RefineryConfig config) {
      return trainStage(config, TrainingSpec.Kind.DPO);
    }
  }

  static TrainStage trainStage(RefineryConfig config, TrainingSpec.Kind kind) {
    String own = kind == TrainingSpec.Kind.RM ? "train-rm" : "train-dpo";
    String t = "training.train.";
    String o = "training.optimizer.";
    ModelSettings model = ModelSettings.from(config);
    AdamW.OptimizerSettings optimizer = new AdamW.OptimizerSettings(
        config.getDouble(own + ".learning-rate", 0.0, 10.0),
        config.getDouble(o + "weight-decay", 0.0, 10.0),
        config.getDouble(o + "beta1", 0.0, 0.999999),
        config.getDouble(o + "beta2", 0.0, 0.999999),
        config.getDouble(o + "epsilon", 0.0, 1.0),
        config.getInt(o + "warmup-steps", 0, 1_000_000),
        config.getDouble(o + "max-grad-norm", 0.0, 1e9));
    int batchSize = config.getInt(t + "batch-size", 1, 4096);
    int accumulation = config.getInt(t + "gradient-accumulation", 1, 4096);
    int maxSteps = config.getInt(t + "max-steps", 1, 10_000_000);
    TrainingSpec.Trainable trainable = config.getEnum(t + "trainable", TrainingSpec.Trainable.class);
    int layers = config.getInt(t + "trainable-layers", 1, 1024);
    int checkpointEvery = config.getInt(t + "checkpoint-every", 1, 10_000_000);
    List<Long> seeds = config.getLongList(t + "seeds");
    config.check(t + "seeds", seeds, s -> !s.isEmpty(), "a non-empty list of integers");
    List<Double> betas = kind == TrainingSpec.Kind.DPO ? config.getDoubleList(own + ".betas") : List.of(0.1);
    config.check(own + ".betas", betas, b -> !b.isEmpty() && b.stream().allMatch(x -> x > 0),
        "a non-empty list of numbers > 0");
    PreferenceLosses.DpoLoss loss = kind == TrainingSpec.Kind.DPO
        ? config.getEnum(own + ".loss", PreferenceLosses.DpoLoss.class)
        : PreferenceLosses.DpoLoss.SIGMOID;
    List<TrainingSpec> specs = new ArrayList<>();
    for (long seed : seeds) {
      for (double beta : betas) {
        specs.add(new TrainingSpec(kind, seed, beta, loss, optimizer, batchSize, accumulation, maxSteps, trainable,
            layers, checkpointEvery, model.maxLength()));
      }
    }
    return new TrainStage(kind, specs, model, config.getInt(t + "max-pairs", 0, Integer.MAX_VALUE),
        config.getInt(t + "eval-pairs", 0, Integer.MAX_VALUE), config.getString(t + "checkpoint-root"), resources(config));
  }
}
