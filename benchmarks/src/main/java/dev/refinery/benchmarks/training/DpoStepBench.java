package dev.refinery.benchmarks.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.llm.djl.LlamaConfig;
import dev.refinery.llm.djl.LlamaModel;
import dev.refinery.training.train.AdamW;
import dev.refinery.training.train.PreferenceLosses;
import dev.refinery.training.train.PreferenceTrainer;
import dev.refinery.training.train.ReferenceScorer;
import dev.refinery.training.train.TokenizedPair;
import dev.refinery.training.train.TrainingSpec;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Times Refinery's DPO step ({@link PreferenceTrainer}, every parameter trainable): policy forward on the chosen and
 * rejected sequences of a batch, sigmoid DPO loss (beta 0.1) against precomputed reference log-probs, backward,
 * global-norm clipping (1.0) and an AdamW update (torch's defaults: lr 1e-3, betas 0.9/0.999, eps 1e-8, weight
 * decay 0.01; no warm-up, linear decay), on a random-weight Llama of the given shape and one fixed batch of random
 * token ids (every sequence {@code PROMPT + RESPONSE} tokens, so there is no padding).
 *
 * <p>Writes, for {@code python/training/torch_dpo_step.py} (which runs the same computation in PyTorch from the same
 * initial weights and batch): {@code OUT_DIR/dpo.json} (config, batch, hyper-parameters, tensor index, the pairs with
 * their reference log-probs, and Refinery's per-step losses and times) and {@code OUT_DIR/weights.f32} (initial
 * weights, float32 little-endian, in the index's order). Prints Refinery's timing as JSON.
 *
 * <p>Step times: wall clock and process CPU time between the ends of consecutive steps (a {@link
 * PreferenceTrainer#onStep} listener); the first {@code WARMUP} steps are excluded. Threads: libtorch's intra-op
 * pool follows {@code -Dai.djl.pytorch.num_threads} (and {@code OMP_NUM_THREADS}).
 *
 * <p>Usage: {@code DpoStepBench OUT_DIR VOCAB HIDDEN LAYERS HEADS KV_HEADS INTERMEDIATE PAIRS PROMPT RESPONSE WARMUP
 * STEPS}.
 */
public final class DpoStepBench {
  static final double BETA = 0.1;
  static final AdamW.OptimizerSettings ADAM = new AdamW.OptimizerSettings(1e-3, 0.01, 0.9, 0.999, 1e-8, 0, 1.0);
  static final long SEED = 7;

  private DpoStepBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 12) {
      System.err.println("Usage: DpoStepBench OUT_DIR VOCAB HIDDEN LAYERS HEADS KV_HEADS INTERMEDIATE PAIRS PROMPT "
          + "RESPONSE WARMUP STEPS");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    int[] n = Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray();
    LlamaConfig config = LlamaConfig.tiny(n[0], n[1], n[2], n[3], n[4], n[5]);
    int pairs = n[6];
    int promptLength = n[7];
    int responseLength = n[8];
    int warmup = n[9];
    int steps = n[10];
    int maxLength = promptLength + responseLength;
    Files.createDirectories(out);

    Map<String, Object> result = new LinkedHashMap<>();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    try (NDManager manager = NDManager.newBaseManager()) {
      LlamaModel model = LlamaModel.random(config, SEED, manager);
      List<Map<String, Object>> tensors = writeWeights(model, out.resolve("weights.f32"));
      List<TokenizedPair> batch = ReferenceScorer.withReference(model, randomPairs(config, pairs, promptLength,
          responseLength), pairs, maxLength);
      TrainingSpec spec = new TrainingSpec(TrainingSpec.Kind.DPO, SEED, BETA, PreferenceLosses.DpoLoss.SIGMOID, ADAM,
          pairs, 1, warmup + steps, TrainingSpec.Trainable.ALL, 1, Integer.MAX_VALUE, maxLength);
      Path checkpoints = Files.createTempDirectory("dpo-step-bench-");
      PreferenceTrainer trainer = new PreferenceTrainer(model, spec, batch, checkpoints);
      List<Double> wallMillis = new ArrayList<>();
      List<Double> cpuMillis = new ArrayList<>();
      long[] last = {System.nanoTime(), processCpuNanos()};
      trainer.onStep(metrics -> {
        long wall = System.nanoTime();
        long cpu = processCpuNanos();
        wallMillis.add((wall - last[0]) / 1e6);
        cpuMillis.add((cpu - last[1]) / 1e6);
        last[0] = wall;
        last[1] = cpu;
      });
      PreferenceTrainer.Result trained = trainer.train();
      deleteRecursively(checkpoints);

      result.put("implementation", "refinery (DJL 0.35.1, libtorch 2.7.1 CPU)");
      result.put("config", config);
      Map<String, Object> shape = new LinkedHashMap<>();
      shape.put("pairs", pairs);
      shape.put("sequences", 2 * pairs);
      shape.put("prompt_tokens", promptLength);
      shape.put("response_tokens", responseLength);
      shape.put("sequence_length", maxLength);
      result.put("batch", shape);
      Map<String, Object> threads = new LinkedHashMap<>();
      threads.put("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "unset"));
      threads.put("OMP_NUM_THREADS", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
      result.put("threads", threads);
      result.put("load_average_at_start", loadAtStart);
      result.put("warmup_steps", warmup);
      result.put("timed_steps", steps);
      List<Double> timedWall = wallMillis.subList(warmup, wallMillis.size());
      List<Double> timedCpu = cpuMillis.subList(warmup, cpuMillis.size());
      result.put("ms_per_step", mean(timedWall));
      result.put("median_ms_per_step", median(timedWall));
      result.put("cpu_ms_per_step", mean(timedCpu));
      result.put("losses", trained.steps().stream().map(PreferenceTrainer.StepMetrics::loss).toList());
      result.put("grad_norms", trained.steps().stream().map(PreferenceTrainer.StepMetrics::gradNorm).toList());
      result.put("step_wall_ms", wallMillis);
      result.put("step_cpu_ms", cpuMillis);

      Map<String, Object> exchange = new LinkedHashMap<>();
      exchange.put("config", config);
      exchange.put("beta", BETA);
      exchange.put("optimizer", ADAM);
      exchange.put("total_steps", warmup + steps);
      exchange.put("warmup_steps", warmup);
      exchange.put("timed_steps", steps);
      exchange.put("sequence_length", maxLength);
      exchange.put("tensors", tensors);
      exchange.put("pairs", batch);
      exchange.put("refinery", result);
      new ObjectMapper().writeValue(out.resolve("dpo.json").toFile(), exchange);
    }
    Map<String, Object> summary = new LinkedHashMap<>(result);
    summary.remove("step_wall_ms");
    summary.remove("step_cpu_ms");
    summary.remove("grad_norms");
    System.out.println(new ObjectMapper().writeValueAsString(summary));
  }

  /** Random token ids; every prompt and every response has the same length, so the batch has no padding. */
  static List<TokenizedPair> randomPairs(LlamaConfig config, int pairs, int promptLength, int responseLength) {
    Random random = new Random(SEED);
    List<TokenizedPair> out = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      out.add(new TokenizedPair("pair-" + i, ids(random, config.vocabSize(), promptLength),
          ids(random, config.vocabSize(), responseLength), ids(random, config.vocabSize(), responseLength), 1.0,
          Double.NaN, Double.NaN));
    }
    return out;
  }

  private static int[] ids(Random random, int vocab, int length) {
    int[] ids = new int[length];
    for (int i = 0; i < length; i++) {
      ids[i] = random.nextInt(vocab);
    }
    return ids;
  }

  private static List<Map<String, Object>> writeWeights(LlamaModel model, Path file) throws Exception {
    List<Map<String, Object>> index = new ArrayList<>();
    long offset = 0;
    try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      for (Map.Entry<String, NDArray> entry : model.parameters().entrySet()) {
        float[] values = entry.getValue().toFloatArray();
        Float32Output.write(stream, values);
        Map<String, Object> tensor = new LinkedHashMap<>();
        tensor.put("name", entry.getKey());
        tensor.put("shape", entry.getValue().getShape().getShape());
        tensor.put("offset", offset);
        index.add(tensor);
        offset += values.length;
      }
    }
    return index;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
