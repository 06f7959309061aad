package dev.refinery.llm.djl;

import dev.refinery.core.error.Preconditions;

/**
 * The shape of a Llama-architecture decoder: RMSNorm, rotary position embeddings (adjacent-pair rotation, as
 * llama.cpp applies it to GGUF's permuted Q/K weights), grouped-query attention and a SwiGLU MLP.
 * {@code tiedEmbeddings}: the output projection reuses the token embedding (SmolLM2 does).
 */
public record LlamaConfig(
    int vocabSize,
    int hiddenSize,
    int layers,
    int heads,
    int kvHeads,
    int intermediateSize,
    double ropeTheta,
    double rmsEpsilon,
    boolean tiedEmbeddings) implements java.io.Serializable {

  public LlamaConfig {
    Preconditions.checkArgument(vocabSize > 0 && hiddenSize > 0 && layers > 0 && intermediateSize > 0,
        "Invalid model size: vocab=%s hidden=%s layers=%s intermediate=%s", vocabSize, hiddenSize, layers,
        intermediateSize);
    Preconditions.checkArgument(heads > 0 && hiddenSize % heads == 0 && (hiddenSize / heads) % 2 == 0,
        "Invalid heads %s for hidden size %s: the head size must be a whole even number", heads, hiddenSize);
    Preconditions.checkArgument(kvHeads > 0 && heads % kvHeads == 0,
        "Invalid kv-heads %s: it must divide heads (%s)", kvHeads, heads);
  }

  public int headSize() {
    return hiddenSize / heads;
  }

  /** A small random-weight model for tests and smoke runs (byte-level vocabulary, see ByteTokenizer). */
  public static LlamaConfig tiny(int vocabSize, int hiddenSize, int layers, int heads, int kvHeads, int intermediate) {
    return new LlamaConfig(vocabSize, hiddenSize, layers, heads, kvHeads, intermediate, 10_000.0, 1e-5, true);
  }
}
