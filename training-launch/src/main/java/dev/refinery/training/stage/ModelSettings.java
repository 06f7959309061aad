package dev.refinery.training.stage;

import ai.djl.ndarray.NDManager;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.llm.djl.ByteTokenizer;
import dev.refinery.llm.djl.GgufLlamaLoader;
import dev.refinery.llm.djl.LlamaConfig;
import dev.refinery.llm.djl.LlamaCppTokenizer;
import dev.refinery.llm.djl.LlamaModel;
import dev.refinery.llm.djl.TextTokenizer;
import dev.refinery.llm.gguf.GgufFile;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which model the training stages load ({@code training.model}): SmolLM2 from its GGUF with llama.cpp's
 * tokenizer, or a tiny random-weight Llama with the byte tokenizer. Serializable: Spark tasks carry it and load
 * the model where they run.
 */
public record ModelSettings(Kind kind, String ggufPath, int maxLength, LlamaConfig tiny, long tinySeed)
    implements Serializable {

  public enum Kind {
    SMOLLM2,
    TINY
  }

  /** A loaded model and its tokenizer; closing releases both. */
  public record Loaded(LlamaModel model, TextTokenizer tokenizer) implements AutoCloseable {
    @Override
    public void close() {
      tokenizer.close();
      model.close();
    }
  }

  public static ModelSettings from(RefineryConfig config) {
    Kind kind = config.getEnum("training.model.kind", Kind.class);
    String gguf = config.getString("training.model.gguf-path");
    int maxLength = config.getInt("training.model.max-length", 8, 8192);
    String t = "training.model.tiny.";
    LlamaConfig tiny = LlamaConfig.tiny(ByteTokenizer.VOCAB_SIZE, config.getInt(t + "hidden-size", 8, 4096),
        config.getInt(t + "layers", 1, 64), config.getInt(t + "heads", 1, 64), config.getInt(t + "kv-heads", 1, 64),
        config.getInt(t + "intermediate-size", 8, 16384));
    ModelSettings settings = new ModelSettings(kind, gguf, maxLength, tiny, config.getLong(t + "seed"));
    if (kind == Kind.SMOLLM2 && !Files.isRegularFile(settings.gguf())) {
      throw RefineryException.userError("Invalid config key 'training.model.gguf-path': no file at %s. Run bin/setup "
          + "to fetch SmolLM2, or set training.model.kind=tiny", settings.gguf());
    }
    return settings;
  }

  public Path gguf() {
    // Like every model path in config: relative to the repository root, wherever the JVM was started.
    return dev.refinery.core.model.ModelPaths.resolve(ggufPath);
  }

  /** Identifies the weights in {@code ref_logprobs}: a DPO run uses reference scores of the same model only. */
  public String modelId() {
    return switch (kind) {
      case SMOLLM2 -> "smollm2:" + gguf().getFileName();
      case TINY -> String.format(Locale.ROOT, "tiny:h%d-l%d-a%d-kv%d-i%d-s%d", tiny.hiddenSize(), tiny.layers(),
          tiny.heads(), tiny.kvHeads(), tiny.intermediateSize(), tinySeed);
    };
  }

  public Loaded load(NDManager manager) {
    return switch (kind) {
      case SMOLLM2 -> {
        LlamaModel model = GgufLlamaLoader.load(GgufFile.open(gguf()), manager);
        yield new Loaded(model, new LlamaCppTokenizer(gguf(), model.config().vocabSize()));
      }
      case TINY -> new Loaded(LlamaModel.random(tiny, tinySeed, manager), new ByteTokenizer());
    };
  }
}
