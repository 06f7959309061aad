package dev.refinery.benchmarks.training;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.text.HhRlhfTranscript;
import dev.refinery.llm.djl.GgufLlamaLoader;
import dev.refinery.llm.djl.LlamaCppTokenizer;
import dev.refinery.llm.djl.LlamaModel;
import dev.refinery.llm.gguf.GgufFile;
import dev.refinery.training.stage.PairRow;
import dev.refinery.training.train.AdamW;
import dev.refinery.training.train.PreferenceLosses;
import dev.refinery.training.train.PreferenceTrainer;
import dev.refinery.training.train.ReferenceScorer;
import dev.refinery.training.train.TokenizedPair;
import dev.refinery.training.train.TrainingSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reward model and short DPO run on SmolLM2-135M over HH-RLHF harmless-base pairs: trains on the first
 * {@code train} pairs, evaluates on the next {@code eval} (never seen). Prints JSON with held-out pairwise
 * accuracy, steps, wall time and tokens/s; the baseline in the same run is the untrained model's accuracy
 * (reward head at its random init; DPO at the reference, where every margin is 0).
 *
 * <p>Usage: {@code TrainingBench GGUF HH_JSONL_GZ TRAIN EVAL STEPS MAX_LENGTH TRAINABLE LAYERS}.
 */
public final class TrainingBench {
  private TrainingBench() {}

  public static void main(String[] args) throws Exception {
    Path gguf = Path.of(args[0]);
    Path data = Path.of(args[1]);
    int trainCount = Integer.parseInt(args[2]);
    int evalCount = Integer.parseInt(args[3]);
    int steps = Integer.parseInt(args[4]);
    int maxLength = Integer.parseInt(args[5]);
    TrainingSpec.Trainable trainable = TrainingSpec.Trainable.valueOf(args[6]);
    int layers = Integer.parseInt(args[7]);
    List<PairRow> rows = readPairs(data, trainCount + evalCount);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", gguf.getFileName().toString());
    out.put("data", data.toString());
    out.put("train_pairs", trainCount);
    out.put("eval_pairs", evalCount);
    out.put("max_length", maxLength);
    out.put("trainable", trainable + (trainable == TrainingSpec.Trainable.LAST_LAYERS ? ":" + layers : ""));
    for (TrainingSpec.Kind kind : TrainingSpec.Kind.values()) {
      try (NDManager manager = NDManager.newBaseManager();
          LlamaCppTokenizer tokenizer = new LlamaCppTokenizer(gguf, 49152)) {
        LlamaModel model = GgufLlamaLoader.load(GgufFile.open(gguf), manager);
        List<TokenizedPair> pairs = rows.stream().map(r -> r.tokenize(tokenizer)).toList();
        List<TokenizedPair> train = pairs.subList(0, trainCount);
        List<TokenizedPair> eval = pairs.subList(trainCount, pairs.size());
        double lr = kind == TrainingSpec.Kind.RM ? 1e-3 : 5e-5;
        TrainingSpec spec = new TrainingSpec(kind, 1, 0.1, PreferenceLosses.DpoLoss.SIGMOID,
            new AdamW.OptimizerSettings(lr, 0.0, 0.9, 0.999, 1e-8, Math.max(1, steps / 10), 1.0), 4, 2, steps,
            trainable, layers, 1_000_000, maxLength);
        if (kind == TrainingSpec.Kind.DPO) {
          train = ReferenceScorer.withReference(model, train, 4, maxLength);
          eval = ReferenceScorer.withReference(model, eval, 4, maxLength);
        }
        PreferenceTrainer trainer = new PreferenceTrainer(model, spec, train, Files.createTempDirectory("bench-"));
        // DPO starts at the reference, where every margin is exactly 0: nothing to measure before training.
        double before = kind == TrainingSpec.Kind.RM ? accuracy(trainer, kind, eval) : 0.0;
        long start = System.nanoTime();
        PreferenceTrainer.Result result = trainer.train();
        double seconds = (System.nanoTime() - start) / 1e9;
        double after = accuracy(trainer, kind, eval);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("steps", result.steps().size());
        r.put("examples_per_step", spec.batchSize() * spec.gradientAccumulation());
        r.put("wall_seconds", seconds);
        r.put("seconds_per_step", seconds / steps);
        r.put("tokens_per_second", result.tokens() / seconds);
        r.put("first_loss", result.steps().get(0).loss());
        r.put("last_loss", result.steps().get(steps - 1).loss());
        r.put("heldout_accuracy_before", before);
        r.put("heldout_accuracy_after", after);
        if (kind == TrainingSpec.Kind.DPO) {
          double[] margins = trainer.dpoMargins(eval);
          r.put("heldout_mean_margin", java.util.Arrays.stream(margins).average().orElse(0));
          r.put("train_last_step_margin", result.steps().get(steps - 1).margin());
        }
        out.put(kind.name().toLowerCase(java.util.Locale.ROOT), r);
      }
    }
    System.out.println(new ObjectMapper().writeValueAsString(out));
    // llama.cpp leaves a non-daemon native-attached thread behind: without an explicit exit the JVM waits forever.
    System.exit(0);
  }

  private static double accuracy(PreferenceTrainer trainer, TrainingSpec.Kind kind, List<TokenizedPair> eval) {
    double correct = 0;
    if (kind == TrainingSpec.Kind.RM) {
      double[][] rewards = trainer.rewards(eval);
      for (int i = 0; i < eval.size(); i++) {
        correct += rewards[0][i] > rewards[1][i] ? 1 : 0;
      }
    } else {
      for (double m : trainer.dpoMargins(eval)) {
        correct += m > 0 ? 1 : 0;
      }
    }
    return correct / eval.size();
  }

  /** HH-RLHF transcripts split by the import stages' parser ({@link HhRlhfTranscript}); equal responses skipped. */
  static List<PairRow> readPairs(Path file, int limit) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<PairRow> rows = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      int position = 0;
      while ((line = reader.readLine()) != null && rows.size() < limit) {
        JsonNode node = json.readTree(line);
        position++;
        HhRlhfTranscript.Result result =
            HhRlhfTranscript.parse(node.get("chosen").asText(), node.get("rejected").asText());
        if (!result.ok() || result.pair().chosen().equals(result.pair().rejected())) {
          continue;
        }
        HhRlhfTranscript.Pair pair = result.pair();
        rows.add(new PairRow("hh-" + position, pair.prompt(), pair.chosen(), pair.rejected(), 1.0, Double.NaN,
            Double.NaN));
      }
    }
    return rows;
  }
}
