package dev.refinery.training;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.testing.ConfigSectionContract;
import dev.refinery.training.export.ExportStageProvider;
import dev.refinery.training.stage.TrainingStageProviders;
import java.util.List;

/** training-launch's sections of conf/application.conf, pinned key by key, and read when its stages are built. */
class TrainingConfigTest extends ConfigSectionContract {
  @Override
  protected List<String> sections() {
    return List.of("training", "export", "ref-logprobs", "train-rm", "train-dpo");
  }

  @Override
  protected void readAtStartUp(RefineryConfig config) {
    new ExportStageProvider().create(config);
    new TrainingStageProviders.RefLogprobs().create(config);
    new TrainingStageProviders.TrainRm().create(config);
    new TrainingStageProviders.TrainDpo().create(config);
  }

  @Override
  protected String pinnedDefaults() {
    return """
        training.model.gguf-path = "models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
        training.model.kind = "smollm2"
        training.model.max-length = 128
        training.model.tiny.heads = 4
        training.model.tiny.hidden-size = 64
        training.model.tiny.intermediate-size = 128
        training.model.tiny.kv-heads = 2
        training.model.tiny.layers = 2
        training.model.tiny.seed = 7
        training.optimizer.beta1 = 0.9
        training.optimizer.beta2 = 0.999
        training.optimizer.epsilon = 1.0E-8
        training.optimizer.max-grad-norm = 1
        training.optimizer.warmup-steps = 2
        training.optimizer.weight-decay = 0
        training.resources.task-cpus = 1
        training.resources.task-gpus = "auto"
        training.train.batch-size = 2
        training.train.checkpoint-every = 2
        training.train.checkpoint-root = "./checkpoints"
        training.train.eval-pairs = 16
        training.train.gradient-accumulation = 1
        training.train.max-pairs = 16
        training.train.max-steps = 4
        training.train.seeds = [1]
        training.train.trainable = "last-layers"
        training.train.trainable-layers = 1
        export.require-agreement = false
        export.split-seed = "refinery"
        export.test-fraction = 0.1
        ref-logprobs.batch-size = 4
        ref-logprobs.dataset = "dpo_train"
        ref-logprobs.max-pairs = 16
        ref-logprobs.partitions = 1
        train-rm.learning-rate = 1.0E-4
        train-dpo.betas = [0.1]
        train-dpo.learning-rate = 5.0E-6
        train-dpo.loss = "sigmoid"
        """;
  }
}
