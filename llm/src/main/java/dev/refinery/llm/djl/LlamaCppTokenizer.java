package dev.refinery.llm.djl;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import dev.refinery.core.error.RefineryException;
import java.nio.file.Path;

/**
 * SmolLM2's tokenizer, run by llama.cpp (through {@code de.kherud:llama}) from the same GGUF file, so token ids
 * match the vocabulary the weights were trained with. Prompts use SmolLM2's ChatML template; responses end with
 * {@code <|im_end|>}. Loading maps the GGUF (llama.cpp needs the whole model to tokenise); one per JVM is enough.
 */
public final class LlamaCppTokenizer implements TextTokenizer {
  private static final String IM_END = "<|im_end|>";

  private final LlamaModel llama;
  private final int endOfText;
  private final int vocabSize;

  public LlamaCppTokenizer(Path gguf, int vocabSize) {
    try {
      LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> { });
      this.llama = new LlamaModel(new ModelParameters().setModel(gguf.toString()).setCtxSize(2048)
          .setThreads(Math.max(1, Runtime.getRuntime().availableProcessors())));
    } catch (RuntimeException e) {
      throw RefineryException.external(e, "Cannot load the tokenizer from %s", gguf);
    }
    int[] end = llama.encode(IM_END);
    if (end.length != 1) {
      throw RefineryException.userError("Cannot use %s as a chat tokenizer: %s is not one token", gguf, IM_END);
    }
    this.endOfText = end[0];
    this.vocabSize = vocabSize;
  }

  /** The llama.cpp model behind the tokenizer (the faithfulness test asks it for next-token probabilities). */
  public LlamaModel llama() {
    return llama;
  }

  @Override
  public synchronized int[] encode(String text) {
    return llama.encode(text);
  }

  @Override
  public synchronized int[] encodePrompt(String prompt) {
    return llama.encode("<|im_start|>user\n" + prompt + IM_END + "\n<|im_start|>assistant\n");
  }

  public synchronized String decode(int[] ids) {
    return llama.decode(ids);
  }

  @Override
  public int endOfText() {
    return endOfText;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public void close() {
    llama.close();
  }
}
