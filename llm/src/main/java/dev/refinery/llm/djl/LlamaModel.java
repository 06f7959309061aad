package dev.refinery.llm.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.refinery.core.error.RefineryException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A Llama-architecture decoder over DJL NDArrays (PyTorch engine): autograd comes from the engine, so the same
 * forward pass serves inference (reference log-probs) and training. Parameters are named as in GGUF
 * ({@code token_embd.weight}, {@code blk.N.attn_q.weight}, ...), and every projection matrix is stored as
 * {@code [out, in]}, the layout GGUF and PyTorch's {@code Linear} share.
 *
 * <p>Sequences are right-padded; with a causal mask, padding after a sequence never affects its positions, so
 * no padding mask is needed as long as callers read only valid positions.
 */
public final class LlamaModel implements AutoCloseable {
  private final LlamaConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;

  LlamaModel(LlamaConfig config, NDManager manager, Map<String, NDArray> parameters) {
    this.config = config;
    this.manager = manager;
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    for (String name : requiredNames(config)) {
      if (!this.parameters.containsKey(name)) {
        throw RefineryException.userError("Cannot build model: tensor %s is missing", name);
      }
    }
  }

  /** Names of the tensors a model of this shape needs, in order. */
  public static List<String> requiredNames(LlamaConfig config) {
    List<String> names = new ArrayList<>();
    names.add("token_embd.weight");
    for (int i = 0; i < config.layers(); i++) {
      for (String part : List.of("attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate",
          "ffn_up", "ffn_down")) {
        names.add("blk." + i + "." + part + ".weight");
      }
    }
    names.add("output_norm.weight");
    if (!config.tiedEmbeddings()) {
      names.add("output.weight");
    }
    return names;
  }

  /** Random weights (normal, std 0.02; norms at 1), reproducible from {@code seed}. */
  public static LlamaModel random(LlamaConfig config, long seed, NDManager manager) {
    Random random = new Random(seed);
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    int kvSize = config.kvHeads() * config.headSize();
    for (String name : requiredNames(config)) {
      Shape shape = shapeOf(config, name, kvSize);
      if (name.endsWith("norm.weight")) {
        parameters.put(name, manager.ones(shape));
      } else {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextGaussian() * 0.02);
        }
        parameters.put(name, manager.create(values, shape));
      }
    }
    return new LlamaModel(config, manager, parameters);
  }

  static Shape shapeOf(LlamaConfig c, String name, int kvSize) {
    String part = name.startsWith("blk.") ? name.substring(name.indexOf('.', 4) + 1) : name;
    return switch (part) {
      case "token_embd.weight", "output.weight" -> new Shape(c.vocabSize(), c.hiddenSize());
      case "attn_norm.weight", "ffn_norm.weight", "output_norm.weight" -> new Shape(c.hiddenSize());
      case "attn_q.weight", "attn_output.weight" -> new Shape(c.hiddenSize(), c.hiddenSize());
      case "attn_k.weight", "attn_v.weight" -> new Shape(kvSize, c.hiddenSize());
      case "ffn_gate.weight", "ffn_up.weight" -> new Shape(c.intermediateSize(), c.hiddenSize());
      case "ffn_down.weight" -> new Shape(c.hiddenSize(), c.intermediateSize());
      default -> throw new IllegalArgumentException("Unknown tensor " + name);
    };
  }

  public LlamaConfig config() {
    return config;
  }

  public NDManager manager() {
    return manager;
  }

  /** Every parameter by name, in a stable order. */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  /** Parameters trained when only the last {@code layers} blocks (and the final norm) are trainable. */
  public List<String> lastLayerNames(int layers) {
    List<String> names = new ArrayList<>();
    int first = Math.max(0, config.layers() - layers);
    for (String name : parameters.keySet()) {
      if (name.startsWith("blk.")) {
        int layer = Integer.parseInt(name.substring(4, name.indexOf('.', 4)));
        if (layer >= first) {
          names.add(name);
        }
      } else if (name.equals("output_norm.weight")) {
        names.add(name);
      }
    }
    return names;
  }

  /** Final hidden states {@code [batch, time, hidden]} (after the output norm) for token ids {@code [batch, time]}. */
  public NDArray hidden(NDArray tokenIds) {
    long batch = tokenIds.getShape().get(0);
    int time = Math.toIntExact(tokenIds.getShape().get(1));
    NDArray x = parameters.get("token_embd.weight").get(tokenIds.toType(DataType.INT64, false));
    NDArray[] rope = ropeTables(time, tokenIds.getManager());
    NDArray mask = causalMask(time, tokenIds.getManager());
    // Scalars live in the caller's manager until after backward: see AutogradScalars.
    NDArray scale = AutogradScalars.of(tokenIds.getManager(), Math.sqrt(config.headSize()));
    NDArray epsilon = AutogradScalars.of(tokenIds.getManager(), config.rmsEpsilon());
    for (int layer = 0; layer < config.layers(); layer++) {
      String p = "blk." + layer + ".";
      NDArray attended = attention(rmsNorm(x, param(p + "attn_norm.weight"), epsilon), p, batch, time, rope, mask,
          scale);
      x = x.add(attended);
      NDArray h = rmsNorm(x, param(p + "ffn_norm.weight"), epsilon);
      NDArray gate = linear(h, param(p + "ffn_gate.weight"));
      NDArray up = linear(h, param(p + "ffn_up.weight"));
      x = x.add(linear(gate.mul(Activation.sigmoid(gate)).mul(up), param(p + "ffn_down.weight")));
    }
    return rmsNorm(x, param("output_norm.weight"), epsilon);
  }

  /** Next-token logits {@code [batch, time, vocab]} from {@link #hidden}. */
  public NDArray logits(NDArray hidden) {
    NDArray output = config.tiedEmbeddings() ? param("token_embd.weight") : param("output.weight");
    return linear(hidden, output);
  }

  private NDArray attention(NDArray x, String p, long batch, int time, NDArray[] rope, NDArray mask,
      NDArray scale) {
    int heads = config.heads();
    int kvHeads = config.kvHeads();
    int d = config.headSize();
    NDArray q = linear(x, param(p + "attn_q.weight")).reshape(batch, time, heads, d).transpose(0, 2, 1, 3);
    NDArray k = linear(x, param(p + "attn_k.weight")).reshape(batch, time, kvHeads, d).transpose(0, 2, 1, 3);
    NDArray v = linear(x, param(p + "attn_v.weight")).reshape(batch, time, kvHeads, d).transpose(0, 2, 1, 3);
    q = rotate(q, rope);
    k = rotate(k, rope);
    if (kvHeads != heads) {
      // Grouped-query attention: query head h reads kv head h / (heads / kvHeads).
      k = k.repeat(1, heads / kvHeads);
      v = v.repeat(1, heads / kvHeads);
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(scale).add(mask);
    NDArray out = scores.softmax(-1).matMul(v);
    return linear(out.transpose(0, 2, 1, 3).reshape(batch, time, (long) heads * d), param(p + "attn_output.weight"));
  }

  /** Rotates adjacent pairs (x[2i], x[2i+1]) by position * theta^(-2i/d): llama.cpp's "normal" RoPE. */
  private NDArray rotate(NDArray x, NDArray[] rope) {
    Shape shape = x.getShape();
    NDArray pairs = x.reshape(shape.get(0), shape.get(1), shape.get(2), shape.get(3) / 2, 2);
    NDArray even = pairs.get("..., 0");
    NDArray odd = pairs.get("..., 1");
    NDArray cos = rope[0];
    NDArray sin = rope[1];
    NDArray rotatedEven = even.mul(cos).sub(odd.mul(sin));
    NDArray rotatedOdd = even.mul(sin).add(odd.mul(cos));
    return rotatedEven.stack(rotatedOdd, -1).reshape(shape);
  }

  private NDArray[] ropeTables(int time, NDManager on) {
    int half = config.headSize() / 2;
    float[] cos = new float[time * half];
    float[] sin = new float[time * half];
    for (int t = 0; t < time; t++) {
      for (int i = 0; i < half; i++) {
        double angle = t * Math.pow(config.ropeTheta(), -2.0 * i / config.headSize());
        cos[t * half + i] = (float) Math.cos(angle);
        sin[t * half + i] = (float) Math.sin(angle);
      }
    }
    return new NDArray[] {on.create(cos, new Shape(time, half)), on.create(sin, new Shape(time, half))};
  }

  private static NDArray causalMask(int time, NDManager on) {
    float[] mask = new float[time * time];
    for (int i = 0; i < time; i++) {
      for (int j = i + 1; j < time; j++) {
        mask[i * time + j] = -1e9f;
      }
    }
    return on.create(mask, new Shape(time, time));
  }

  private static NDArray rmsNorm(NDArray x, NDArray weight, NDArray epsilon) {
    NDArray meanSquare = x.square().mean(new int[] {-1}, true);
    return x.div(meanSquare.add(epsilon).sqrt()).mul(weight);
  }

  private static NDArray linear(NDArray x, NDArray weight) {
    return x.matMul(weight.transpose());
  }

  private NDArray param(String name) {
    return parameters.get(name);
  }

  /** The parameters as one named list (DJL's encoding), for checkpoints. */
  public NDList toList() {
    NDList list = new NDList();
    parameters.forEach((name, array) -> {
      array.setName(name);
      list.add(array);
    });
    return list;
  }

  /** Copies values (not gradients) from {@code saved} into the parameters with the same names. */
  public void load(NDList saved) {
    for (NDArray array : saved) {
      NDArray target = parameters.get(array.getName());
      if (target == null || !target.getShape().equals(array.getShape())) {
        throw RefineryException.userError("Cannot load checkpoint tensor %s %s: the model has %s", array.getName(),
            array.getShape(), target == null ? "no such tensor" : target.getShape());
      }
      try (NDArray storage = target.stopGradient()) {
        storage.muli(0).addi(array);
      }
    }
  }

  @Override
  public void close() {
    parameters.values().forEach(NDArray::close);
  }
}
