package dev.refinery.training.stage;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.refinery.training.train.PreferenceTrainer;
import dev.refinery.training.train.ReferenceScorer;
import dev.refinery.training.train.TokenizedPair;
import dev.refinery.training.train.TrainingSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One independent training run, executed inside a Spark task: loads the model on the task's device, tokenises the
 * pairs, fills in missing reference log-probs (DPO) with the initial model, trains (resuming from the run's
 * checkpoints), and evaluates on the held-out pairs. Failures come back as an outcome with the error, so the other
 * runs of the stage still record theirs.
 */
public record TrainingRunTask(String trainingRunId, TrainingSpec spec, ModelSettings model, List<PairRow> train,
    List<PairRow> eval, String checkpointDir) implements Serializable {

  /** What a run reports back to the driver; becomes a {@code training_runs} row. */
  public record Outcome(String trainingRunId, TrainingSpec spec, String status, List<PreferenceTrainer.StepMetrics>
      steps, Map<String, Double> finalMetrics, String device, long durationMillis, String checkpointUri,
      String error) implements Serializable {}

  /**
   * DJL records autograd through one process-wide collector, so runs that share a JVM (local mode, or several
   * task slots on one executor) take turns; on a cluster with one GPU task per executor they run in parallel.
   */
  private static final java.util.concurrent.locks.ReentrantLock JVM_TRAINING_LOCK =
      new java.util.concurrent.locks.ReentrantLock();

  public Outcome execute() {
    JVM_TRAINING_LOCK.lock();
    try {
      return executeAlone();
    } finally {
      JVM_TRAINING_LOCK.unlock();
    }
  }

  private Outcome executeAlone() {
    long start = System.nanoTime();
    Device device = GpuScheduling.taskDevice();
    try (NDManager manager = NDManager.newBaseManager(device); ModelSettings.Loaded loaded = model.load(manager)) {
      List<TokenizedPair> trainPairs = train.stream().map(p -> p.tokenize(loaded.tokenizer())).toList();
      List<TokenizedPair> evalPairs = eval.stream().map(p -> p.tokenize(loaded.tokenizer())).toList();
      if (spec.kind() == TrainingSpec.Kind.DPO) {
        // The reference is the model before any update (a resumed run restores its weights only in train()).
        trainPairs = ReferenceScorer.withReference(loaded.model(), trainPairs, spec.batchSize(), spec.maxLength());
        evalPairs = ReferenceScorer.withReference(loaded.model(), evalPairs, spec.batchSize(), spec.maxLength());
      }
      PreferenceTrainer trainer = new PreferenceTrainer(loaded.model(), spec, trainPairs, Path.of(checkpointDir));
      long trainStart = System.nanoTime();
      PreferenceTrainer.Result result = trainer.train();
      double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
      Map<String, Double> metrics = new LinkedHashMap<>();
      List<PreferenceTrainer.StepMetrics> steps = result.steps();
      PreferenceTrainer.StepMetrics last = steps.get(steps.size() - 1);
      metrics.put("train_loss", last.loss());
      metrics.put("train_accuracy", last.accuracy());
      metrics.put("train_margin", last.margin());
      metrics.put("steps", (double) steps.size());
      metrics.put("resumed_from_step", (double) result.resumedFromStep());
      metrics.put("train_seconds", trainSeconds);
      metrics.put("tokens_per_second", result.tokens() / Math.max(trainSeconds, 1e-9));
      metrics.put("train_pairs", (double) trainPairs.size());
      metrics.put("eval_pairs", (double) evalPairs.size());
      if (!evalPairs.isEmpty()) {
        double[] margins = new double[evalPairs.size()];
        if (spec.kind() == TrainingSpec.Kind.RM) {
          double[][] rewards = trainer.rewards(evalPairs);
          for (int i = 0; i < margins.length; i++) {
            margins[i] = rewards[0][i] - rewards[1][i];
          }
        } else {
          margins = trainer.dpoMargins(evalPairs);
        }
        double correct = 0;
        double sum = 0;
        for (double m : margins) {
          correct += m > 0 ? 1 : 0;
          sum += m;
        }
        metrics.put("eval_accuracy", correct / margins.length);
        metrics.put("eval_margin", sum / margins.length);
      }
      String uri = result.lastCheckpoint() == null ? "" : result.lastCheckpoint().toUri().toString();
      return new Outcome(trainingRunId, spec, "succeeded", steps, metrics, device.toString(), elapsed(start), uri,
          null);
    } catch (RuntimeException e) {
      return new Outcome(trainingRunId, spec, "failed", new ArrayList<>(), new LinkedHashMap<>(), device.toString(),
          elapsed(start), "", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
