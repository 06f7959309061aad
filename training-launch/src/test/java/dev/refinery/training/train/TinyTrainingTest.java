package dev.refinery.training.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.refinery.llm.djl.ByteTokenizer;
import dev.refinery.llm.djl.LlamaConfig;
import dev.refinery.llm.djl.LlamaModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Training on a tiny random-weight Llama (2 blocks, hidden 32): overfitting, DPO margins, exact resume. */
class TinyTrainingTest {
  private static final LlamaConfig TINY = LlamaConfig.tiny(ByteTokenizer.VOCAB_SIZE, 32, 2, 4, 2, 64);
  private static final AdamW.OptimizerSettings ADAM = new AdamW.OptimizerSettings(3e-3, 0.0, 0.9, 0.999, 1e-8, 2, 1.0);

  /** 32 pairs of random strings: nothing to generalise, so high pair accuracy means the model memorised. */
  static List<TokenizedPair> pairs(int n, long seed) {
    ByteTokenizer tokenizer = new ByteTokenizer();
    Random random = new Random(seed);
    List<TokenizedPair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new TokenizedPair("p" + i, tokenizer.encodePrompt("q" + i + " " + word(random, 6)),
          withEnd(tokenizer.encode(word(random, 8))), withEnd(tokenizer.encode(word(random, 8))), 1.0, Double.NaN,
          Double.NaN));
    }
    return out;
  }

  private static int[] withEnd(int[] ids) {
    int[] out = Arrays.copyOf(ids, ids.length + 1);
    out[ids.length] = ByteTokenizer.VOCAB_SIZE - 2;
    return out;
  }

  private static String word(Random random, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }

  private static TrainingSpec spec(TrainingSpec.Kind kind, int steps, int batch, int accumulation) {
    return new TrainingSpec(kind, 11, 0.1, PreferenceLosses.DpoLoss.SIGMOID, ADAM, batch, accumulation, steps,
        TrainingSpec.Trainable.ALL, 1, 1000, 64);
  }

  @Test
  void rewardModelOverfits32Pairs() throws Exception {
    List<TokenizedPair> data = pairs(32, 3);
    try (NDManager manager = NDManager.newBaseManager()) {
      LlamaModel model = LlamaModel.random(TINY, 5, manager);
      PreferenceTrainer trainer = new PreferenceTrainer(model, spec(TrainingSpec.Kind.RM, 60, 16, 1), data,
          Files.createTempDirectory("rm-"));
      PreferenceTrainer.Result result = trainer.train();
      double[][] rewards = trainer.rewards(data);
      int correct = 0;
      for (int i = 0; i < data.size(); i++) {
        correct += rewards[0][i] > rewards[1][i] ? 1 : 0;
      }
      assertThat(correct / 32.0).as("training pair accuracy").isGreaterThanOrEqualTo(0.95);
      List<PreferenceTrainer.StepMetrics> steps = result.steps();
      assertThat(steps.get(steps.size() - 1).loss()).isLessThan(steps.get(0).loss());
    }
  }

  @Test
  void dpoPolicyReachesPositiveImplicitRewardMargins() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      LlamaModel model = LlamaModel.random(TINY, 5, manager);
      TrainingSpec spec = spec(TrainingSpec.Kind.DPO, 30, 16, 1);
      List<TokenizedPair> data = ReferenceScorer.withReference(model, pairs(32, 4), 8, spec.maxLength());
      PreferenceTrainer trainer = new PreferenceTrainer(model, spec, data, Files.createTempDirectory("dpo-"));
      // At step 0 the policy is the reference: every margin is zero and the loss is log 2.
      assertThat(Arrays.stream(trainer.dpoMargins(data)).map(Math::abs).max().orElseThrow()).isLessThan(1e-4);
      PreferenceTrainer.Result result = trainer.train();
      assertThat(result.steps().get(0).loss()).isCloseTo(Math.log(2), within(1e-4));
      double[] margins = trainer.dpoMargins(data);
      assertThat(Arrays.stream(margins).min().orElseThrow()).as("smallest implicit reward margin").isPositive();
      assertThat(result.steps().get(result.steps().size() - 1).accuracy()).isEqualTo(1.0);
    }
  }

  @Test
  void stepListenerSeesEveryStepBeforeItsCheckpoint() throws Exception {
    TrainingSpec spec = new TrainingSpec(TrainingSpec.Kind.RM, 2, 0.1, PreferenceLosses.DpoLoss.SIGMOID, ADAM, 4, 1,
        3, TrainingSpec.Trainable.HEAD, 1, 2, 64);
    Path dir = Files.createTempDirectory("listener-");
    List<Integer> seen = new ArrayList<>();
    List<Boolean> checkpointed = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      PreferenceTrainer trainer = new PreferenceTrainer(LlamaModel.random(TINY, 5, manager), spec, pairs(8, 7), dir);
      trainer.onStep(metrics -> {
        seen.add(metrics.step());
        checkpointed.add(Files.exists(dir.resolve(String.format("step-%06d", metrics.step()))));
      });
      PreferenceTrainer.Result result = trainer.train();
      assertThat(seen).containsExactly(1, 2, 3);
      assertThat(checkpointed).containsExactly(false, false, false);
      assertThat(result.steps()).extracting(PreferenceTrainer.StepMetrics::step).containsExactly(1, 2, 3);
    }
  }

  @Test
  void resumeFromCheckpointContinuesWithTheSameLosses() throws Exception {
    List<TokenizedPair> data = pairs(12, 6);
    TrainingSpec spec = new TrainingSpec(TrainingSpec.Kind.RM, 2, 0.1, PreferenceLosses.DpoLoss.SIGMOID, ADAM, 4, 2,
        6, TrainingSpec.Trainable.LAST_LAYERS, 1, 3, 64);
    List<PreferenceTrainer.StepMetrics> uninterrupted;
    try (NDManager manager = NDManager.newBaseManager()) {
      uninterrupted = new PreferenceTrainer(LlamaModel.random(TINY, 5, manager), spec, data,
          Files.createTempDirectory("full-")).train().steps();
    }
    Path dir = Files.createTempDirectory("resume-");
    try (NDManager manager = NDManager.newBaseManager()) {
      // Interrupted after step 4: the last checkpoint is step 3.
      new PreferenceTrainer(LlamaModel.random(TINY, 5, manager), spec, data, dir).train(4);
    }
    assertThat(PreferenceTrainer.latestCheckpoint(dir)).hasValueSatisfying(
        p -> assertThat(p.getFileName().toString()).isEqualTo("step-000003"));
    PreferenceTrainer.Result resumed;
    try (NDManager manager = NDManager.newBaseManager()) {
      resumed = new PreferenceTrainer(LlamaModel.random(TINY, 5, manager), spec, data, dir).train();
    }
    assertThat(resumed.resumedFromStep()).isEqualTo(3);
    assertThat(resumed.steps()).hasSize(6);
    for (int i = 0; i < 6; i++) {
      assertThat(resumed.steps().get(i).loss()).as("loss at step %d", i + 1)
          .isCloseTo(uninterrupted.get(i).loss(), within(1e-5));
    }
    assertThat(uninterrupted.get(3).loss()).isNotEqualTo(uninterrupted.get(2).loss());
  }
}
