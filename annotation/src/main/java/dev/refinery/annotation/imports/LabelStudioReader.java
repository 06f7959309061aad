package dev.refinery.annotation.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.annotation.labels.Judgment;
import dev.refinery.annotation.labels.PreferenceLabel;
import dev.refinery.annotation.labels.PreferencePair;
import dev.refinery.core.llm.ChatMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Label Studio's JSON export: an array of tasks {@code {id, data, annotations: [{completed_by, result,
 * was_cancelled}]}} ({@code completions} in old exports). A result of type {@code choices} is mapped through
 * the label mapping; one of type {@code pairwise} ({@code value.selected} left / right) gives A / B.
 *
 * <p>The item: when {@code data} holds {@code prompt}, {@code chosen} and {@code rejected} the pair is
 * imported and labels attach to it; otherwise {@code data.<item-field>} is taken as an existing pair_id.
 */
final class LabelStudioReader {
  private final String source;
  private final LabelMapping labels;
  private final String itemField;
  private final long maxRecords;

  LabelStudioReader(String source, LabelMapping labels, String itemField, long maxRecords) {
    this.source = source;
    this.labels = labels;
    this.itemField = itemField;
    this.maxRecords = maxRecords;
  }

  void read(Path file, ImportSink sink) throws IOException {
    JsonNode root = Sources.tree(file);
    if (!root.isArray()) {
      sink.rejectRecord(file.toString(), "0", "not-a-json-array", Sources.truncate(root.toString()));
      return;
    }
    int index = 0;
    for (JsonNode task : root) {
      if (maxRecords > 0 && index >= maxRecords) {
        break;
      }
      readTask(file, index++, task, sink);
    }
  }

  private void readTask(Path file, int index, JsonNode task, ImportSink sink) {
    String position = "task " + index + " (id " + Sources.text(task.get("id")) + ")";
    JsonNode data = task.path("data");
    String pairId;
    if (data.has("prompt") && data.has("chosen") && data.has("rejected")) {
      String prompt = Sources.text(data.get("prompt"));
      PreferencePair pair = PreferencePair.imported(prompt, List.of(ChatMessage.user(prompt)),
          Sources.text(data.get("chosen")), Sources.text(data.get("rejected")), source,
          String.valueOf(Sources.text(task.get("id"))), file.getFileName().toString());
      sink.pair(pair);
      pairId = pair.pairId();
    } else {
      pairId = Sources.text(data.get(itemField));
    }
    if (pairId == null || pairId.isBlank()) {
      sink.rejectRecord(file.toString(), position, "no-item: data has neither prompt/chosen/rejected nor "
          + itemField, Sources.truncate(task.toString()));
      return;
    }
    JsonNode annotations = task.has("annotations") ? task.get("annotations") : task.path("completions");
    int a = 0;
    for (JsonNode annotation : annotations) {
      String where = position + " annotation " + a++;
      if (annotation.path("was_cancelled").asBoolean(false)) {
        sink.rejectLabel(file.toString(), where, "cancelled", Sources.truncate(annotation.toString()));
        continue;
      }
      String rater = rater(annotation.get("completed_by"));
      Optional<String[]> verdict = verdict(annotation.path("result"));
      if (rater == null) {
        sink.rejectLabel(file.toString(), where, "no-rater: completed_by is missing", Sources.truncate(annotation.toString()));
        continue;
      }
      Optional<PreferenceLabel> label = verdict.flatMap(v -> v[1] != null ? Optional.of(PreferenceLabel.parse(v[1]))
          : labels.map(v[0]));
      if (label.isEmpty()) {
        sink.rejectLabel(file.toString(), where, "unparseable-label: " + verdict.map(v -> "'" + v[0] + "'")
            .orElse("no choices or pairwise result"), Sources.truncate(annotation.toString()));
        continue;
      }
      sink.judgment(Judgment.human(pairId, source + ":" + rater, label.get(), verdict.get()[0], source));
    }
  }

  /** {raw text, fixed label or null}. */
  private static Optional<String[]> verdict(JsonNode results) {
    for (JsonNode result : results) {
      String type = result.path("type").asText("");
      JsonNode value = result.path("value");
      if (type.equals("choices") && value.path("choices").size() > 0) {
        return Optional.of(new String[] {value.path("choices").get(0).asText(), null});
      }
      if (type.equals("pairwise") && value.has("selected")) {
        String selected = value.get("selected").asText();
        String fixed = selected.equals("left") ? "A" : selected.equals("right") ? "B" : null;
        return Optional.of(new String[] {selected, fixed});
      }
    }
    return Optional.empty();
  }

  private static String rater(JsonNode completedBy) {
    if (completedBy == null || completedBy.isNull() || completedBy.isMissingNode()) {
      return null;
    }
    if (completedBy.isObject()) {
      return Sources.text(completedBy.has("email") ? completedBy.get("email") : completedBy.get("id"));
    }
    return completedBy.asText();
  }
}
