package dev.refinery.benchmarks.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.llm.djl.GgufLlamaLoader;
import dev.refinery.llm.djl.LlamaCppTokenizer;
import dev.refinery.llm.djl.LlamaModel;
import dev.refinery.llm.gguf.GgufFile;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The port's next-token top-10 against llama.cpp's (llama-cpp-python) for 20 chat prompts on the same GGUF and
 * the same token ids. Prints JSON: top-10 id-set agreement, top-1 agreement, and the largest absolute probability
 * difference over the union of both top-10s.
 *
 * <p>Usage: {@code FaithfulnessBench GGUF PYTHON} (run from the repository root).
 */
public final class FaithfulnessBench {
  static final List<String> PROMPTS = List.of("What is the capital of France?", "Write a haiku about the sea.",
      "How do I boil an egg?", "Name three primary colours.", "What is 12 times 7?",
      "Translate 'good morning' into Spanish.", "Why is the sky blue?", "Give me a synonym for happy.",
      "What does a CPU do?", "Tell me a fun fact about cats.", "How many legs does a spider have?",
      "What is photosynthesis?", "Suggest a name for a pet goldfish.", "Who wrote Romeo and Juliet?",
      "What is the boiling point of water in Celsius?", "Describe a rainbow in one sentence.",
      "How can I be more productive?", "What is the largest planet in the solar system?",
      "Explain gravity to a child.", "What should I eat for breakfast?");

  private FaithfulnessBench() {}

  public static void main(String[] args) throws Exception {
    Path gguf = Path.of(args[0]);
    String python = args[1];
    ObjectMapper json = new ObjectMapper();
    List<int[]> prompts = new ArrayList<>();
    List<float[]> ours = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(); LlamaCppTokenizer tokenizer = new LlamaCppTokenizer(gguf,
        49152)) {
      LlamaModel model = GgufLlamaLoader.load(GgufFile.open(gguf), manager);
      for (String prompt : PROMPTS) {
        int[] ids = tokenizer.encodePrompt(prompt);
        prompts.add(ids);
        NDArray input = manager.create(ids, new Shape(1, ids.length));
        NDArray hidden = model.hidden(input).get("0, -1").expandDims(0);
        ours.add(model.logits(hidden).softmax(-1).toFloatArray());
      }
    }
    File promptFile = File.createTempFile("prompts-", ".json");
    json.writeValue(promptFile, prompts);
    Process process = new ProcessBuilder(python, "python/training/llama_cpp_top10.py", gguf.toString(),
        promptFile.getPath()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out = process.getInputStream().readAllBytes();
    process.waitFor(600, TimeUnit.SECONDS);
    JsonNode theirs = json.readTree(out);
    int sameTop10 = 0;
    int sameTop1 = 0;
    double maxDiff = 0;
    double overlap = 0;
    double sumDiff = 0;
    for (int i = 0; i < PROMPTS.size(); i++) {
      float[] p = ours.get(i);
      JsonNode ref = theirs.get(i);
      List<Integer> refIds = new ArrayList<>();
      ref.get("ids").forEach(n -> refIds.add(n.asInt()));
      List<Integer> ourIds = top(p, 10);
      java.util.Set<Integer> common = new java.util.HashSet<>(ourIds);
      common.retainAll(refIds);
      overlap += common.size();
      if (new java.util.HashSet<>(ourIds).equals(new java.util.HashSet<>(refIds))) {
        sameTop10++;
      }
      if (ourIds.get(0).equals(refIds.get(0))) {
        sameTop1++;
      }
      for (int k = 0; k < 10; k++) {
        double diff = Math.abs(p[refIds.get(k)] - ref.get("probs").get(k).asDouble());
        maxDiff = Math.max(maxDiff, diff);
        sumDiff += diff;
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("prompts", PROMPTS.size());
    result.put("top10_set_agreement", sameTop10);
    result.put("top1_agreement", sameTop1);
    result.put("mean_top10_overlap", overlap / PROMPTS.size());
    result.put("mean_abs_probability_difference_on_llama_cpp_top10", sumDiff / (10.0 * PROMPTS.size()));
    result.put("max_abs_probability_difference_on_llama_cpp_top10", maxDiff);
    System.out.println(json.writeValueAsString(result));
    Files.deleteIfExists(promptFile.toPath());
    // llama.cpp leaves a non-daemon native-attached thread behind: without an explicit exit the JVM waits forever.
    System.exit(0);
  }

  static List<Integer> top(float[] p, int k) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      ids.add(i);
    }
    ids.sort((a, b) -> Float.compare(p[b], p[a]));
    return ids.subList(0, k);
  }
}
