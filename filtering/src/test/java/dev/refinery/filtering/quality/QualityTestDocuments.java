package dev.refinery.filtering.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.table.DocumentSchemas;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.text.StableIds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Real web documents (DCLM's human-labelled sample) plus the cases the quality stages must tell apart. */
final class QualityTestDocuments {
  static final String EMAIL = "jane.doe@example.com";
  static final String GERMAN = "Die Stadt liegt am Ufer des Flusses und ist seit dem Mittelalter ein wichtiger Handelsort. "
      + "Im Sommer kommen viele Besucher, um die alte Kirche, das Rathaus und die engen Gassen der Altstadt zu sehen. "
      + "Die meisten Einwohner arbeiten heute in kleinen Betrieben, in Schulen oder im Krankenhaus der Region.";

  private QualityTestDocuments() {}

  static String id(String sourceId) {
    return StableIds.docId("test", sourceId);
  }

  /** source id -> text: {@code count} real DCLM documents of at least 80 words, and the planted cases. */
  static Map<String, String> documents(int count) {
    Map<String, String> docs = new LinkedHashMap<>();
    List<String> web = dclm(count + 1);
    for (int i = 0; i < count; i++) {
      docs.put("web-" + i, web.get(i));
    }
    docs.put("with-email", web.get(count) + "\n\nQuestions? Write to " + EMAIL + " and we will answer within a day.");
    docs.put("german", GERMAN);
    docs.put("short", "Buy now.");
    docs.put("repeated", "Click here for the best deals on shoes.\n".repeat(40));
    docs.put("empty", "");
    return docs;
  }

  static void write(SparkSession spark, Lakehouse lakehouse, Map<String, String> docs) {
    List<Row> rows = new ArrayList<>();
    Timestamp at = Timestamp.valueOf("2026-01-01 00:00:00");
    docs.forEach((sourceId, text) -> rows.add(RowFactory.create(id(sourceId), "test", sourceId, text,
        scala.collection.immutable.Map$.MODULE$.empty(), at, "ingest-run")));
    lakehouse.upsert(Tables.RAW_DOCUMENTS, spark.createDataFrame(rows, DocumentSchemas.RAW_DOCUMENTS),
        List.of("doc_id"));
  }

  private static List<String> dclm(int count) {
    ObjectMapper json = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    var path = SharedSpark.repoRoot().resolve("samples/web-sample/dclm-human-quality/majority_data.jsonl.gz");
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(path)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null && texts.size() < count) {
        String text = json.readTree(line).get("text").asText();
        if (text.split("\\s+").length >= 80 && !text.contains("@")) {
          texts.add(text);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return texts;
  }
}
