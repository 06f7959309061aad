package dev.refinery.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.llm.ChatMessage;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.PreferenceSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.text.HhRlhfTranscript;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Real HH-RLHF pairs written straight into {@code preference_pairs}, for tests of the stages downstream of it.
 * Stage modules do not depend on each other, so a training test cannot run import-pairs; this parses the sample
 * with the same {@link HhRlhfTranscript} and keys rows by the same {@code pair_id}.
 */
public final class HhRlhfPairs {
  public static final String SAMPLE = "samples/hh-rlhf/harmless-base/test.jsonl.gz";

  private HhRlhfPairs() {}

  /** Writes the first {@code limit} well-formed pairs of {@link #SAMPLE}; returns how many it wrote. */
  public static long write(SparkSession spark, Lakehouse lakehouse, int limit) {
    Path sample = SharedSpark.repoRoot().resolve(SAMPLE);
    Map<String, Row> rows = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    Timestamp now = Timestamp.from(Instant.now());
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(sample)), StandardCharsets.UTF_8))) {
      long line = 0;
      for (String text = reader.readLine(); text != null && rows.size() < limit; text = reader.readLine()) {
        line++;
        JsonNode record = json.readTree(text);
        HhRlhfTranscript.Result parsed =
            HhRlhfTranscript.parse(record.path("chosen").asText(), record.path("rejected").asText());
        if (!parsed.ok()) {
          continue;
        }
        HhRlhfTranscript.Pair pair = parsed.pair();
        List<Row> messages = new ArrayList<>();
        for (ChatMessage message : pair.promptMessages()) {
          messages.add(RowFactory.create(message.role(), message.content()));
        }
        rows.putIfAbsent(pair.pairId(), RowFactory.create(pair.pairId(), pair.prompt(),
            messages, pair.chosen(), pair.rejected(),
            "hh-rlhf", null, "file", sample + ":" + line, "hh-rlhf", null, "fixture", now));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + sample, e);
    }
    lakehouse.overwrite(Tables.PREFERENCE_PAIRS,
        spark.createDataFrame(new ArrayList<>(rows.values()), PreferenceSchemas.PREFERENCE_PAIRS));
    return rows.size();
  }
}
