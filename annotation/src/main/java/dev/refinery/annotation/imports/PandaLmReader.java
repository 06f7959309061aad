package dev.refinery.annotation.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.annotation.labels.Judgment;
import dev.refinery.annotation.labels.PreferenceLabel;
import dev.refinery.annotation.labels.PreferencePair;
import dev.refinery.core.llm.ChatMessage;
import dev.refinery.core.text.StableIds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PandaLM ({@code testset-v1.json}): items with {@code idx, instruction, input, response1, response2,
 * annotator1..3}; label 1 = response1 better, 2 = response2 better, 0 = tie. Response 1 becomes the pair's
 * {@code chosen} slot (A), response 2 {@code rejected} (B): the slots carry no preference, the labels do.
 * The judge files ({@code gpt_result}, {@code pandalm_result}) name items by {@code idx} only, so every file
 * is parsed first and pairs registered before any label is resolved.
 */
final class PandaLmReader {
  private static final List<String> HUMAN_FIELDS = List.of("annotator1", "annotator2", "annotator3");
  private static final List<String[]> AI_FIELDS =
      List.of(new String[] {"gpt_result", "gpt-3.5-turbo"}, new String[] {"pandalm_result", "pandalm-7b"});

  private final String source;
  private final LabelMapping labels;
  private final boolean importPairs;
  private final long maxRecords;

  PandaLmReader(String source, LabelMapping labels, boolean importPairs, long maxRecords) {
    this.source = source;
    this.labels = labels;
    this.importPairs = importPairs;
    this.maxRecords = maxRecords;
  }

  void read(List<Path> files, ImportSink sink) throws IOException {
    List<Path> names = new ArrayList<>();
    List<JsonNode> roots = new ArrayList<>();
    for (Path file : files) {
      JsonNode root = Sources.tree(file);
      if (!root.isArray()) {
        sink.rejectRecord(file.toString(), "0", "not-a-json-array", Sources.truncate(root.toString()));
        continue;
      }
      names.add(file);
      roots.add(root);
    }
    for (int f = 0; f < roots.size(); f++) {
      int index = 0;
      for (JsonNode item : roots.get(f)) {
        if (maxRecords > 0 && index >= maxRecords) {
          break;
        }
        if (item.has("response1") || item.has("response2")) {
          registerPair(names.get(f), index, item, sink);
        }
        index++;
      }
    }
    for (int f = 0; f < roots.size(); f++) {
      int index = 0;
      for (JsonNode item : roots.get(f)) {
        if (maxRecords > 0 && index >= maxRecords) {
          break;
        }
        readLabels(names.get(f), index++, item, sink);
      }
    }
  }

  private void registerPair(Path file, int index, JsonNode item, ImportSink sink) {
    String instruction = Sources.text(item.get("instruction"));
    String response1 = Sources.text(item.get("response1"));
    String response2 = Sources.text(item.get("response2"));
    if (instruction == null || response1 == null || response2 == null) {
      sink.rejectRecord(file.toString(), "item " + index, "missing-field: instruction, response1 and response2 are required",
          Sources.truncate(item.toString()));
      return;
    }
    String input = Sources.text(item.get("input"));
    String prompt = input == null || input.isBlank() ? instruction : instruction + "\n\n" + input;
    // Keyed by idx, not content: 99 of the 999 items repeat another item's prompt and responses (different
    // model pairs that wrote the same text) and were annotated separately.
    PreferencePair pair = PreferencePair.imported(StableIds.of("pair", source, idx(item, index)), prompt,
        List.of(ChatMessage.user(prompt)), response1, response2, source, idx(item, index), file.getFileName().toString());
    if (importPairs) {
      sink.pair(pair);
    }
    sink.mapItem(source, idx(item, index), pair.pairId());
  }

  private void readLabels(Path file, int index, JsonNode item, ImportSink sink) {
    String idx = idx(item, index);
    String pairId = sink.pairOf(source, idx);
    for (String field : HUMAN_FIELDS) {
      if (item.has(field)) {
        label(file, index, field, item, pairId, sink).ifPresent(label ->
            sink.judgment(Judgment.human(pairId, source + ":" + field, label,
                Sources.text(item.get(field)), source)));
      }
    }
    for (String[] field : AI_FIELDS) {
      if (item.has(field[0])) {
        String model = field[1];
        label(file, index, field[0], item, pairId, sink).ifPresent(label ->
            sink.judgment(new Judgment(pairId, model, Judgment.AI, model, label, label.probabilityA(), "AB",
                "imported", model, null, null, Sources.text(item.get(field[0])), source)));
      }
    }
  }

  private Optional<PreferenceLabel> label(Path file, int index, String field, JsonNode item, String pairId,
      ImportSink sink) {
    String raw = Sources.text(item.get(field));
    String position = "item " + index + " " + field;
    if (pairId == null) {
      sink.rejectLabel(file.toString(), position, "unknown-item: idx " + idx(item, index)
          + " is in no file with the pair's responses", Sources.truncate(item.toString()));
      return Optional.empty();
    }
    Optional<PreferenceLabel> label = labels.map(raw);
    if (label.isEmpty()) {
      sink.rejectLabel(file.toString(), position, "unparseable-label: '" + raw + "'", Sources.truncate(raw));
    }
    return label;
  }

  private static String idx(JsonNode item, int index) {
    String idx = Sources.text(item.get("idx"));
    return idx == null ? String.valueOf(index) : idx;
  }
}
