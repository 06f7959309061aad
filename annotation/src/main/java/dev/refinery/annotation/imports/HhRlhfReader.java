package dev.refinery.annotation.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.annotation.labels.PreferencePair;
import dev.refinery.core.text.HhRlhfTranscript;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Anthropic HH-RLHF JSON lines {@code {chosen, rejected}}, each a whole "\n\nHuman: ... \n\nAssistant: ..."
 * transcript, split by {@link HhRlhfTranscript} exactly as {@code import-pairs} splits them (same prompt, same
 * responses, same pair_id). Pairs only; judges or imported labels label them afterwards. A line that is not a
 * JSON object with both transcripts is quarantined; a pair that does not split is dropped by the parser's reason.
 */
final class HhRlhfReader {
  private final String source;
  private final long maxRecords;

  HhRlhfReader(String source, long maxRecords) {
    this.source = source;
    this.maxRecords = maxRecords;
  }

  void read(Path file, ImportSink sink) throws IOException {
    try (BufferedReader reader = Sources.lines(file)) {
      String line;
      long number = 0;
      long records = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        if (maxRecords > 0 && records++ >= maxRecords) {
          break;
        }
        String position = "line " + number;
        try {
          JsonNode node = Sources.JSON.readTree(line);
          String chosen = Sources.text(node.get("chosen"));
          String rejected = Sources.text(node.get("rejected"));
          if (chosen == null || rejected == null) {
            sink.rejectRecord(file.toString(), position, "missing-field: chosen and rejected are required",
                Sources.truncate(line));
            continue;
          }
          HhRlhfTranscript.Result result = HhRlhfTranscript.parse(chosen, rejected);
          if (!result.ok()) {
            sink.dropPair(result.failure().reason());
            continue;
          }
          sink.pair(toPair(result.pair(), source, String.valueOf(number), file.getFileName().toString()));
        } catch (IOException e) {
          sink.rejectRecord(file.toString(), position, "bad-json", Sources.truncate(line));
        }
      }
    }
  }

  /** The imported row of a parsed pair, keyed by the pair's own id (the one import-pairs gives it too). */
  static PreferencePair toPair(HhRlhfTranscript.Pair pair, String source, String originId, String file) {
    return PreferencePair.imported(pair.pairId(), pair.prompt(), pair.promptMessages(), pair.chosen(),
        pair.rejected(), source, originId, file);
  }
}
