package dev.refinery.benchmarks.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.llm.djl.GgufLlamaLoader;
import dev.refinery.llm.djl.LlamaCppTokenizer;
import dev.refinery.llm.djl.LlamaModel;
import dev.refinery.llm.gguf.GgufFile;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the port's logits for the 20 chat prompts of {@link FaithfulnessBench}, so that another implementation
 * (transformers loading the same GGUF: {@code python/training/transformers_logits.py}) can run the same token ids
 * and compare. Writes {@code OUT_DIR/logits.json} (the GGUF, the vocabulary size, and per prompt its text, token ids,
 * first row and number of rows) and {@code OUT_DIR/logits.f32} (the rows, float32 little-endian, {@code vocab}
 * values each): every position's logits for the first {@code ALL_POSITION_PROMPTS} prompts, the last position's
 * for the others; then, as a 21st entry ({@code "long": true}), every position of one sequence made of the 20
 * prompts' token ids end to end (about 330 tokens), so that rotary embeddings are compared at later positions too.
 *
 * <p>Usage: {@code LogitsDumpBench GGUF OUT_DIR [ALL_POSITION_PROMPTS (default 3)]} (from the repository root).
 */
public final class LogitsDumpBench {
  private LogitsDumpBench() {}

  public static void main(String[] args) throws Exception {
    Path gguf = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int allPositionPrompts = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Files.createDirectories(out);
    List<Map<String, Object>> prompts = new ArrayList<>();
    long rows = 0;
    int vocab;
    try (NDManager manager = NDManager.newBaseManager();
        LlamaCppTokenizer tokenizer = new LlamaCppTokenizer(gguf, 49152);
        OutputStream file = Files.newOutputStream(out.resolve("logits.f32"));
        DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(file, 1 << 20))) {
      LlamaModel model = GgufLlamaLoader.load(GgufFile.open(gguf), manager);
      vocab = model.config().vocabSize();
      List<int[]> encoded = new ArrayList<>();
      for (String prompt : FaithfulnessBench.PROMPTS) {
        encoded.add(tokenizer.encodePrompt(prompt));
      }
      encoded.add(encoded.stream().flatMapToInt(java.util.Arrays::stream).toArray());
      for (int i = 0; i < encoded.size(); i++) {
        boolean isLong = i == FaithfulnessBench.PROMPTS.size();
        String prompt = isLong ? "(the 20 prompts end to end)" : FaithfulnessBench.PROMPTS.get(i);
        int[] ids = encoded.get(i);
        boolean allPositions = isLong || i < allPositionPrompts;
        try (NDManager scope = manager.newSubManager()) {
          NDArray hidden = model.hidden(scope.create(ids, new Shape(1, ids.length))).get(0);
          if (!allPositions) {
            hidden = hidden.get("-1:");
          }
          float[] logits = model.logits(hidden).toFloatArray();
          Float32Output.write(data, logits);
        }
        long promptRows = allPositions ? ids.length : 1;
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("prompt", prompt);
        entry.put("ids", ids);
        entry.put("first_row", rows);
        entry.put("rows", promptRows);
        entry.put("all_positions", allPositions);
        entry.put("long", isLong);
        prompts.add(entry);
        rows += promptRows;
      }
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("gguf", gguf.toString());
    header.put("vocab", vocab);
    header.put("rows", rows);
    header.put("data", "logits.f32");
    header.put("prompts", prompts);
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.resolve("logits.json").toFile(), header);
    System.out.println(out.resolve("logits.json"));
    // llama.cpp leaves a non-daemon native-attached thread behind: without an explicit exit the JVM waits forever.
    System.exit(0);
  }
}
