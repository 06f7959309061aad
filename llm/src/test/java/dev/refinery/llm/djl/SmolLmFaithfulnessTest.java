package dev.refinery.llm.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import de.kherud.llama.InferenceParameters;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.llm.gguf.GgmlType;
import dev.refinery.llm.gguf.GgufFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SmolLM2-135M-Instruct port against llama.cpp on the same GGUF. java-llama.cpp 4.2.0 aborts the JVM when
 * asked for token probabilities, so in CI the port's most likely next token is compared with llama.cpp's greedy
 * token for 20 prompts; python/training/compare_llama_cpp.py compares the top-10 ids and probabilities with
 * llama-cpp-python (see docs/training.md for its output).
 */
class SmolLmFaithfulnessTest {
  static final Path GGUF = SharedSpark.repoRoot().resolve("models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf");

  @Test
  void readsTheGgufShapeAndTensorTypes() {
    GgufFile file = GgufFile.open(GGUF);
    LlamaConfig config = GgufLlamaLoader.config(file);
    assertThat(config).isEqualTo(new LlamaConfig(49152, 576, 30, 9, 3, 1536, 100000.0, (double) 1e-5f, true));
    assertThat(file.tensor("token_embd.weight").type()).isEqualTo(GgmlType.Q8_0);
    assertThat(file.tensor("blk.0.attn_q.weight").type()).isEqualTo(GgmlType.Q4_1);
    assertThat(file.tensor("blk.0.attn_norm.weight").type()).isEqualTo(GgmlType.F32);
    assertThat(file.tensor("blk.0.attn_k.weight").shape()).containsExactly(192, 576);
  }

  @Test
  void nextTokenAgreesWithLlamaCppOnTwentyPrompts() {
    GgufFile file = GgufFile.open(GGUF);
    try (NDManager manager = NDManager.newBaseManager();
        LlamaCppTokenizer tokenizer = new LlamaCppTokenizer(GGUF, 49152)) {
      LlamaModel model = GgufLlamaLoader.load(file, manager);
      List<int[]> prompts = new ArrayList<>();
      for (String prompt : SmolLmPrompts.PROMPTS) {
        prompts.add(tokenizer.encodePrompt(prompt));
      }
      int[] ours = argmaxNextTokens(model, prompts, manager);
      int agree = 0;
      List<String> disagreements = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        String formatted = "<|im_start|>user\n" + SmolLmPrompts.PROMPTS.get(i) + "<|im_end|>\n<|im_start|>assistant\n";
        String theirs = tokenizer.llama().complete(new InferenceParameters(formatted).setNPredict(1)
            .setTemperature(0f).setTopK(1).setSeed(1).setCachePrompt(false));
        String ourPiece = tokenizer.decode(new int[] {ours[i]});
        if (ourPiece.equals(theirs)) {
          agree++;
        } else {
          disagreements.add(i + ": ours '" + ourPiece + "' llama.cpp '" + theirs + "'");
        }
      }
      assertThat(agree).as("greedy next token agreement, disagreements: %s", disagreements).isEqualTo(20);
    }
  }

  /** The most likely next token after each prompt, from one right-padded batch. */
  static int[] argmaxNextTokens(LlamaModel model, List<int[]> prompts, NDManager manager) {
    int width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
    int[] flat = new int[prompts.size() * width];
    float[] last = new float[prompts.size() * width];
    for (int b = 0; b < prompts.size(); b++) {
      System.arraycopy(prompts.get(b), 0, flat, b * width, prompts.get(b).length);
      last[b * width + prompts.get(b).length - 1] = 1f;
    }
    NDArray ids = manager.create(flat, new Shape(prompts.size(), width));
    NDArray hidden = model.hidden(ids).mul(manager.create(last, new Shape(prompts.size(), width, 1)))
        .sum(new int[] {1});
    long[] argmax = model.logits(hidden).argMax(-1).toLongArray();
    int[] out = new int[argmax.length];
    for (int i = 0; i < argmax.length; i++) {
      out[i] = (int) argmax[i];
    }
    return out;
  }
}
