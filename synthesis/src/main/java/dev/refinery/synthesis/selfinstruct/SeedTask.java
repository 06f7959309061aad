package dev.refinery.synthesis.selfinstruct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.text.ByteOrderMark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A human-written Self-Instruct seed task ({@code seed_tasks.jsonl}) with its first instance. */
public record SeedTask(String id, String instruction, String input, String output, boolean isClassification) {

  /**
   * Reads the seed file: one JSON object per line with id, instruction, instances[{input, output}],
   * is_classification; a leading byte-order mark is ignored.
   */
  public static List<SeedTask> read(Path path) {
    ObjectMapper json = new ObjectMapper();
    List<SeedTask> tasks = new ArrayList<>();
    try {
      int line = 0;
      for (String text : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        line++;
        if (line == 1) {
          text = ByteOrderMark.strip(text);
        }
        if (text.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(text);
        JsonNode instance = node.path("instances").path(0);
        if (!node.hasNonNull("instruction") || instance.isMissingNode()) {
          throw RefineryException.userError("Cannot read seed task at %s line %d: it needs instruction and instances",
              path, line);
        }
        tasks.add(new SeedTask(node.path("id").asText("seed_" + line), node.get("instruction").asText().strip(),
            instance.path("input").asText("").strip(), instance.path("output").asText("").strip(),
            node.path("is_classification").asBoolean(false)));
      }
    } catch (IOException e) {
      throw RefineryException.userError("Cannot read seed tasks %s: %s", path, e.getMessage());
    }
    return tasks;
  }
}
