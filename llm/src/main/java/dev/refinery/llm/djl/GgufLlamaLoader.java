package dev.refinery.llm.djl;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.refinery.core.error.RefineryException;
import dev.refinery.llm.gguf.GgufFile;
import dev.refinery.llm.gguf.GgufTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link LlamaModel} from a llama-architecture GGUF file (SmolLM2-135M-Instruct): the shape from the
 * {@code llama.*} metadata, every tensor dequantised to float32. The Q/K weights stay in GGUF's permuted order,
 * which is why {@link LlamaModel} rotates adjacent pairs, as llama.cpp does.
 */
public final class GgufLlamaLoader {
  private GgufLlamaLoader() {}

  public static LlamaConfig config(GgufFile file) {
    Object architecture = file.metadata().get("general.architecture");
    if (!"llama".equals(architecture)) {
      throw RefineryException.userError("Cannot load %s: architecture %s is not llama", file.path(), architecture);
    }
    long vocab = file.metadata().containsKey("llama.vocab_size")
        ? file.getLong("llama.vocab_size")
        : ((List<?>) file.metadata().get("tokenizer.ggml.tokens")).size();
    return new LlamaConfig(
        Math.toIntExact(vocab),
        Math.toIntExact(file.getLong("llama.embedding_length")),
        Math.toIntExact(file.getLong("llama.block_count")),
        Math.toIntExact(file.getLong("llama.attention.head_count")),
        Math.toIntExact(file.getLong("llama.attention.head_count_kv")),
        Math.toIntExact(file.getLong("llama.feed_forward_length")),
        file.getDouble("llama.rope.freq_base", 10_000.0),
        file.getDouble("llama.attention.layer_norm_rms_epsilon", 1e-5),
        !file.tensors().containsKey("output.weight"));
  }

  public static LlamaModel load(GgufFile file, NDManager manager) {
    LlamaConfig config = config(file);
    Map<String, ai.djl.ndarray.NDArray> parameters = new LinkedHashMap<>();
    for (String name : LlamaModel.requiredNames(config)) {
      GgufTensor tensor = file.tensor(name);
      Shape expected = LlamaModel.shapeOf(config, name, config.kvHeads() * config.headSize());
      Shape actual = new Shape(tensor.shape());
      if (!expected.equals(actual)) {
        throw RefineryException.userError("Cannot load tensor %s from %s: shape %s, expected %s", name, file.path(),
            actual, expected);
      }
      try {
        parameters.put(name, manager.create(tensor.toFloats(), actual));
      } catch (RuntimeException e) {
        throw RefineryException.external(e, "Cannot dequantise tensor %s (%s) from %s", name, tensor.type(),
            file.path());
      }
    }
    return new LlamaModel(config, manager, parameters);
  }
}
