package dev.refinery.training.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.error.Preconditions;
import dev.refinery.core.error.RefineryException;
import dev.refinery.llm.djl.AutogradScalars;
import dev.refinery.llm.djl.LlamaModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Trains a reward model (backbone + scalar head on the last token, Bradley-Terry loss) or a DPO policy on
 * tokenised pairs, with AdamW, gradient clipping, gradient accumulation, warm-up, and checkpoints from which a
 * rerun resumes.
 *
 * <p>The examples of step {@code s} are a function of the seed and {@code s} alone (a seeded permutation per
 * epoch), so a run resumed from a checkpoint sees the same batches, and the same losses, as an uninterrupted one.
 * Checkpoints: {@code <dir>/step-NNNNNN/} with {@code parameters.ndlist} (trainable tensors, DJL's encoding),
 * {@code optimizer.ndlist} (AdamW moments) and {@code state.json} (spec, step, metrics; written last, so a
 * checkpoint without it is incomplete and ignored).
 */
public final class PreferenceTrainer {
  static final String HEAD_WEIGHT = "reward_head.weight";
  static final String HEAD_BIAS = "reward_head.bias";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Metrics of one optimiser step, averaged over its examples. */
  public record StepMetrics(int step, double loss, double accuracy, double margin, double learningRate,
      double gradNorm) implements java.io.Serializable {}

  /** What a run produced: all steps (including those before a resume), and its last checkpoint. */
  public record Result(List<StepMetrics> steps, int resumedFromStep, Path lastCheckpoint, long tokens) {}

  private final LlamaModel model;
  private final TrainingSpec spec;
  private final List<TokenizedPair> pairs;
  private final Path checkpointDir;
  private final Map<String, NDArray> trainable = new LinkedHashMap<>();
  private final NDArray headWeight;
  private final NDArray headBias;
  private long tokens;
  private Consumer<StepMetrics> stepListener = metrics -> {};

  public PreferenceTrainer(LlamaModel model, TrainingSpec spec, List<TokenizedPair> pairs, Path checkpointDir) {
    Preconditions.checkArgument(!pairs.isEmpty(), "Cannot train: no pairs");
    Preconditions.checkArgument(spec.kind() != TrainingSpec.Kind.DPO || pairs.stream().allMatch(
        TokenizedPair::hasReference), "Cannot train DPO: pairs lack reference log-probs (run ReferenceScorer)");
    this.model = model;
    this.spec = spec;
    this.pairs = List.copyOf(pairs);
    this.checkpointDir = checkpointDir;
    int hidden = model.config().hiddenSize();
    Random random = new Random(spec.seed());
    float[] head = new float[hidden];
    for (int i = 0; i < hidden; i++) {
      head[i] = (float) (random.nextGaussian() / Math.sqrt(hidden));
    }
    headWeight = model.manager().create(head, new Shape(hidden));
    headBias = model.manager().zeros(new Shape(1));
    selectTrainable();
  }

  private void selectTrainable() {
    List<String> names = switch (spec.trainable()) {
      case HEAD -> List.of("output_norm.weight");
      case LAST_LAYERS -> model.lastLayerNames(spec.trainableLayers());
      case ALL -> new ArrayList<>(model.parameters().keySet());
    };
    for (String name : names) {
      trainable.put(name, model.parameters().get(name));
    }
    if (spec.kind() == TrainingSpec.Kind.RM) {
      trainable.put(HEAD_WEIGHT, headWeight);
      trainable.put(HEAD_BIAS, headBias);
    }
    model.parameters().values().forEach(p -> p.setRequiresGradient(false));
    trainable.values().forEach(p -> p.setRequiresGradient(true));
  }

  /**
   * Calls {@code listener} on the training thread right after each optimiser step, before that step's checkpoint
   * (if any) is written: for progress reports and step timing (DpoStepBench).
   */
  public void onStep(Consumer<StepMetrics> listener) {
    this.stepListener = Objects.requireNonNull(listener, "listener");
  }

  /** Trainable tensor names (for logs and tests). */
  public List<String> trainableNames() {
    return List.copyOf(trainable.keySet());
  }

  /** Runs to {@code maxSteps}, resuming from the last complete checkpoint in the directory when there is one. */
  public Result train() {
    return train(Integer.MAX_VALUE);
  }

  /** Like {@link #train()}, but stops after step {@code stopAfter} (an interruption, for tests of resume). */
  public Result train(int stopAfter) {
    AdamW optimizer = new AdamW(spec.optimizer(), spec.maxSteps(), trainable);
    List<StepMetrics> history = new ArrayList<>();
    int start = 0;
    Optional<Path> latest = latestCheckpoint(checkpointDir);
    if (latest.isPresent()) {
      start = restore(latest.get(), optimizer, history);
    }
    Map<String, NDArray> gradients = new LinkedHashMap<>();
    trainable.forEach((name, p) -> gradients.put(name, p.zerosLike()));
    Path last = latest.orElse(null);
    for (int step = start + 1; step <= Math.min(spec.maxSteps(), stopAfter); step++) {
      gradients.values().forEach(g -> g.muli(0));
      double[] totals = new double[3];
      int examples = spec.batchSize() * spec.gradientAccumulation();
      for (int micro = 0; micro < spec.gradientAccumulation(); micro++) {
        List<TokenizedPair> batch = batch(step, micro);
        accumulate(batch, examples, gradients, totals);
      }
      double norm = optimizer.clip(gradients);
      optimizer.step(step, trainable, gradients);
      history.add(new StepMetrics(step, totals[0] / examples, totals[1] / examples, totals[2] / examples,
          optimizer.learningRate(step), norm));
      stepListener.accept(history.get(history.size() - 1));
      if (step % spec.checkpointEvery() == 0 || step == spec.maxSteps()) {
        last = save(step, optimizer, history);
      }
    }
    gradients.values().forEach(NDArray::close);
    return new Result(Collections.unmodifiableList(history), start, last, tokens);
  }

  /** The pairs of micro-batch {@code micro} of 1-based {@code step}. */
  List<TokenizedPair> batch(int step, int micro) {
    long cursor = ((long) (step - 1) * spec.gradientAccumulation() + micro) * spec.batchSize();
    List<TokenizedPair> out = new ArrayList<>(spec.batchSize());
    for (int i = 0; i < spec.batchSize(); i++) {
      long position = cursor + i;
      int epoch = (int) (position / pairs.size());
      out.add(pairs.get(permutation(epoch)[(int) (position % pairs.size())]));
    }
    return out;
  }

  private int[] permutation(int epoch) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(spec.seed() * 1_000_003L + epoch));
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  private void accumulate(List<TokenizedPair> batch, int examples, Map<String, NDArray> gradients, double[] totals) {
    SequenceBatch sequences = ReferenceScorer.pairBatch(batch, spec.maxLength());
    for (int last : sequences.lastIndex()) {
      tokens += last + 1;
    }
    int n = batch.size();
    float[] weights = new float[n];
    for (int i = 0; i < n; i++) {
      weights[i] = (float) batch.get(i).weight();
    }
    try (NDManager manager = model.manager().newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.zeroGradients();
        NDArray[] lossAndMargin = forward(sequences, batch, manager);
        NDArray loss = lossAndMargin[0].mul(manager.create(weights)).sum().div(AutogradScalars.of(manager, examples));
        collector.backward(loss);
        float[] perExample = lossAndMargin[0].toFloatArray();
        float[] margins = lossAndMargin[1].toFloatArray();
        for (int i = 0; i < n; i++) {
          totals[0] += perExample[i] * weights[i];
          totals[1] += margins[i] > 0 ? 1 : 0;
          totals[2] += margins[i];
        }
      }
      trainable.forEach((name, p) -> gradients.get(name).addi(p.getGradient()));
    }
  }

  /** Per-example loss and reward margin (RM: r_c - r_r; DPO: beta * h, the implicit reward margin). */
  NDArray[] forward(SequenceBatch sequences, List<TokenizedPair> batch, NDManager manager) {
    int n = batch.size();
    NDArray hidden = model.hidden(sequences.idsArray(manager));
    if (spec.kind() == TrainingSpec.Kind.RM) {
      NDArray last = SequenceScorer.lastHidden(hidden, sequences, manager);
      NDArray rewards = last.matMul(headWeight.expandDims(1)).squeeze(-1).add(headBias);
      NDArray chosen = rewards.get("0:" + n);
      NDArray rejected = rewards.get(n + ":");
      return new NDArray[] {PreferenceLosses.rewardLoss(chosen, rejected), chosen.sub(rejected)};
    }
    NDArray logps = SequenceScorer.responseLogProbs(model, hidden, sequences, manager);
    float[] refChosen = new float[n];
    float[] refRejected = new float[n];
    for (int i = 0; i < n; i++) {
      refChosen[i] = (float) batch.get(i).referenceChosen();
      refRejected[i] = (float) batch.get(i).referenceRejected();
    }
    NDArray policyChosen = logps.get("0:" + n);
    NDArray policyRejected = logps.get(n + ":");
    NDArray referenceChosen = manager.create(refChosen);
    NDArray referenceRejected = manager.create(refRejected);
    NDArray loss = PreferenceLosses.dpoLoss(policyChosen, referenceChosen, policyRejected, referenceRejected,
        spec.beta(), spec.dpoLoss());
    NDArray margin = PreferenceLosses.logRatioDifference(policyChosen, referenceChosen, policyRejected,
        referenceRejected).mul(AutogradScalars.of(manager, spec.beta()));
    return new NDArray[] {loss, margin};
  }

  /** Rewards of responses (RM only): {@code [pairs]} for chosen then rejected, for evaluation. */
  public double[][] rewards(List<TokenizedPair> evalPairs) {
    Preconditions.checkState(spec.kind() == TrainingSpec.Kind.RM, "Rewards need a reward model");
    double[][] out = new double[2][evalPairs.size()];
    int offset = 0;
    for (int start = 0; start < evalPairs.size(); start += spec.batchSize()) {
      List<TokenizedPair> slice = evalPairs.subList(start, Math.min(evalPairs.size(), start + spec.batchSize()));
      SequenceBatch sequences = ReferenceScorer.pairBatch(slice, spec.maxLength());
      try (NDManager manager = model.manager().newSubManager(); NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray hidden = model.hidden(sequences.idsArray(manager));
        float[] rewards = SequenceScorer.lastHidden(hidden, sequences, manager).matMul(headWeight.expandDims(1))
            .squeeze(-1).add(headBias).toFloatArray();
        for (int i = 0; i < slice.size(); i++) {
          out[0][offset + i] = rewards[i];
          out[1][offset + i] = rewards[slice.size() + i];
        }
      }
      offset += slice.size();
    }
    return out;
  }

  /** Per-pair DPO margins {@code beta * h} under the current policy (evaluation). */
  public double[] dpoMargins(List<TokenizedPair> evalPairs) {
    double[] out = new double[evalPairs.size()];
    int offset = 0;
    for (int start = 0; start < evalPairs.size(); start += spec.batchSize()) {
      List<TokenizedPair> slice = evalPairs.subList(start, Math.min(evalPairs.size(), start + spec.batchSize()));
      SequenceBatch sequences = ReferenceScorer.pairBatch(slice, spec.maxLength());
      try (NDManager manager = model.manager().newSubManager(); NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        float[] margins = forward(sequences, slice, manager)[1].toFloatArray();
        for (int i = 0; i < slice.size(); i++) {
          out[offset + i] = margins[i];
        }
      }
      offset += slice.size();
    }
    return out;
  }

  private Path save(int step, AdamW optimizer, List<StepMetrics> history) {
    Path dir = checkpointDir.resolve(String.format("step-%06d", step));
    try {
      Files.createDirectories(dir);
      NDList parameters = new NDList();
      trainable.forEach((name, p) -> {
        p.setName(name);
        parameters.add(p);
      });
      write(dir.resolve("parameters.ndlist"), parameters);
      write(dir.resolve("optimizer.ndlist"), optimizer.state());
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("step", step);
      state.put("hyper_parameters", spec.hyperParameters());
      state.put("model", model.config());
      state.put("trainable", trainableNames());
      state.put("metrics", history);
      JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("state.json").toFile(), state);
      return dir;
    } catch (IOException e) {
      throw RefineryException.external(e, "Cannot write checkpoint %s", dir);
    }
  }

  private int restore(Path dir, AdamW optimizer, List<StepMetrics> history) {
    try {
      Map<String, Object> state = JSON.readValue(dir.resolve("state.json").toFile(), new TypeReference<>() {});
      NDList parameters = read(dir.resolve("parameters.ndlist"));
      for (NDArray saved : parameters) {
        NDArray target = trainable.get(saved.getName());
        if (target == null || !target.getShape().equals(saved.getShape())) {
          throw RefineryException.userError("Cannot resume from %s: tensor %s does not match this run's trainable "
              + "tensors %s", dir, saved.getName(), trainable.keySet());
        }
        overwrite(target, saved);
      }
      optimizer.load(read(dir.resolve("optimizer.ndlist")));
      List<StepMetrics> metrics = JSON.convertValue(state.get("metrics"), new TypeReference<List<StepMetrics>>() {});
      history.addAll(metrics);
      return ((Number) state.get("step")).intValue();
    } catch (IOException e) {
      throw RefineryException.external(e, "Cannot read checkpoint %s", dir);
    }
  }

  /**
   * Writes {@code source}'s values into {@code target}'s storage: in-place arithmetic on a detached view, because
   * {@code set} on a view re-points it instead of writing, and in-place ops on a leaf that requires grad fail.
   */
  static void overwrite(NDArray target, NDArray source) {
    try (NDArray storage = target.stopGradient()) {
      storage.muli(0).addi(source);
    }
  }

  /** The complete checkpoint with the highest step, if any. */
  public static Optional<Path> latestCheckpoint(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(p -> p.getFileName().toString().startsWith("step-"))
          .filter(p -> Files.exists(p.resolve("state.json")))
          .max(java.util.Comparator.comparing(p -> p.getFileName().toString()));
    } catch (IOException e) {
      throw RefineryException.external(e, "Cannot list checkpoints in %s", dir);
    }
  }

  private static void write(Path file, NDList list) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      list.encode(out);
    }
  }

  private NDList read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return NDList.decode(model.manager(), in);
    }
  }
}
