package dev.refinery.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestStageTest {
  private final SparkSession spark = SharedSpark.session();
  private final Path samples = SharedSpark.repoRoot().resolve("samples");

  @TempDir Path dir;

  private record Outcome(PipelineRun run, Lakehouse lakehouse) {
    StageResult result() {
      return run.result();
    }

    List<Row> documents() {
      return lakehouse.read(Tables.RAW_DOCUMENTS).orderBy("doc_id").collectAsList();
    }

    Map<String, String> quarantineReasonByPosition() {
      if (!lakehouse.exists(Tables.QUARANTINE)) {
        return Map.of();
      }
      return lakehouse.read(Tables.QUARANTINE).collectAsList().stream()
          .collect(Collectors.toMap(r -> r.<String>getAs("position"), r -> r.<String>getAs("reason")));
    }
  }

  private Outcome ingest(RefineryConfig config) {
    Lakehouse lakehouse = new Lakehouse(spark, config);
    PipelineRun run = new StageRunner(spark, config, lakehouse, "test-run")
        .run(new IngestStageProvider().create(config));
    return new Outcome(run, lakehouse);
  }

  private static RefineryConfig config(String format, Object paths) {
    return SharedSpark.config().with("ingest.format", format).with("ingest.paths", paths);
  }

  @Test
  void readsGzippedJsonlWithLineIdsAndMetaFromTheOtherFields() {
    String file = samples.resolve("web-sample/olmo-c4/c4-sample.01.json.gz").toString();
    Outcome outcome = ingest(config("jsonl", List.of(file)));

    assertThat(outcome.result().rowsIn()).isEqualTo(10);
    assertThat(outcome.result().rowsOut()).isEqualTo(10);
    List<Row> docs = outcome.documents();
    assertThat(docs).hasSize(10);
    Row first = docs.stream().filter(r -> r.<String>getAs("source_id").equals("line-1")).findFirst().orElseThrow();
    assertThat(first.<String>getAs("source")).isEqualTo("c4-sample.01.json.gz");
    assertThat(first.<String>getAs("doc_id"))
        .isEqualTo(dev.refinery.core.text.StableIds.docId("c4-sample.01.json.gz", "line-1"));
    assertThat(first.<String>getAs("text")).startsWith("The woman who died after falling from a bridge");
    assertThat(first.getJavaMap(first.fieldIndex("meta"))).containsKeys("url", "date");
  }

  @Test
  void badRowsOfEveryKindGoToQuarantineWithLineAndReasonAndCountsReconcile() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(("{\"id\": \"a\", \"text\": \"A good document.\", \"lang\": \"en\"}\n"   // 1 ok
        + "{\"id\": \"b\", \"text\": \"unterminated\n"                                   // 2 malformed
        + "{\"id\": \"c\", \"body\": \"no text field\"}\n"                               // 3 missing text
        + "{\"id\": \"d\", \"text\": \"   \"}\n"                                         // 4 empty text
        + "\n"                                                                           // 5 blank: not a record
        + "[1, 2, 3]\n"                                                                  // 6 not an object
        + "{\"id\": \"e\", \"text\": 42}\n").getBytes(StandardCharsets.UTF_8));          // 7 text not a string
    bytes.write("{\"id\": \"f\", \"text\": \"bad \u00e9 byte: ".getBytes(StandardCharsets.UTF_8));
    bytes.write(new byte[] {(byte) 0xC3, (byte) 0x28});                                   // 8 invalid UTF-8
    bytes.write("\"}\n".getBytes(StandardCharsets.UTF_8));
    bytes.write(("{\"id\": \"g\", \"text\": \"" + "x".repeat(3000) + "\"}\n"             // 9 too large
        + "{\"id\": \"a\", \"text\": \"Same id as line 1.\"}\n"                          // 10 duplicate id
        + "{\"id\": \"h\", \"text\": \"Another good one.\"}").getBytes(StandardCharsets.UTF_8)); // 11 ok, no newline
    Path file = dir.resolve("mixed.jsonl");
    Files.write(file, bytes.toByteArray());

    Outcome outcome = ingest(config("jsonl", List.of(file.toString())).with("ingest.max-document-bytes", "2k"));

    assertThat(outcome.documents()).extracting(r -> r.<String>getAs("source_id")).containsExactlyInAnyOrder("a", "h");
    Map<String, String> reasons = outcome.quarantineReasonByPosition();
    assertThat(reasons).containsOnlyKeys("line 2", "line 3", "line 4", "line 6", "line 7", "line 8", "line 9",
        "line 10");
    assertThat(reasons.get("line 2")).startsWith("malformed JSON: ");
    assertThat(reasons.get("line 3")).isEqualTo("missing text field 'text'");
    assertThat(reasons.get("line 4")).isEqualTo("empty text");
    assertThat(reasons.get("line 6")).isEqualTo("not a JSON object");
    assertThat(reasons.get("line 7")).isEqualTo("text field 'text' is not a string but number");
    assertThat(reasons.get("line 8")).matches("invalid UTF-8 at byte \\d+ of the file");
    assertThat(reasons.get("line 9")).startsWith("document too large: ");
    assertThat(reasons.get("line 10")).isEqualTo("duplicate record id 'a' (first at " + file.toUri().toString()
        .replace("file:///", "file:/") + " line 1)");
    assertThat(outcome.result().rowsIn()).isEqualTo(10);
    assertThat(outcome.result().rowsOut()).isEqualTo(2);
    assertThat(outcome.result().rowsQuarantined()).isEqualTo(8);
    Row quarantined = outcome.lakehouse().read(Tables.QUARANTINE).where("position = 'line 2'").head();
    assertThat(quarantined.<String>getAs("source")).endsWith("mixed.jsonl");
    assertThat(quarantined.<String>getAs("stage")).isEqualTo("ingest");
    assertThat(quarantined.<String>getAs("raw")).contains("unterminated");
  }

  @Test
  void runningTwiceLeavesIdenticalTables() throws Exception {
    Path file = dir.resolve("docs.jsonl");
    Files.writeString(file, "{\"id\": 1, \"text\": \"one\"}\n{\"id\": 2, \"text\": \"\"}\n{\"id\": 3, \"text\": \"three\"}\n");
    RefineryConfig config = config("jsonl", List.of(file.toString()));
    Outcome first = ingest(config);
    List<Row> documents = first.documents();
    List<Row> quarantine = first.lakehouse().read(Tables.QUARANTINE).orderBy("quarantine_id").collectAsList();

    Outcome second = ingest(config);
    assertThat(second.documents()).isEqualTo(documents);
    assertThat(second.lakehouse().read(Tables.QUARANTINE).orderBy("quarantine_id").collectAsList())
        .isEqualTo(quarantine);
    assertThat(second.lakehouse().read(Tables.PIPELINE_RUNS).count()).isEqualTo(1); // same run id: one row
  }

  @Test
  void readsTextPerLineAndPerFile() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("texts"));
    Files.writeString(folder.resolve("a.txt"), "First line.\n\nSecond line.\n");
    Files.writeString(folder.resolve("b.txt"), "   \n");
    Files.writeString(folder.resolve(".hidden.txt"), "ignored");

    Outcome perLine = ingest(config("text", List.of(folder.toString())).with("ingest.text.mode", "per-line"));
    assertThat(perLine.documents()).extracting(r -> r.<String>getAs("text"))
        .containsExactlyInAnyOrder("First line.", "Second line.");
    assertThat(perLine.result().rowsIn()).isEqualTo(2);

    Outcome perFile = ingest(config("text", List.of(folder + "/*.txt")).with("ingest.text.mode", "per-file"));
    assertThat(perFile.documents()).extracting(r -> r.<String>getAs("source_id")).containsExactly("a.txt");
    assertThat(perFile.quarantineReasonByPosition()).containsEntry("file", "empty text");
  }

  /** Windows tools start UTF-8 files with a byte-order mark; it is not part of the first record. */
  @Test
  void aLeadingByteOrderMarkIsNotPartOfTheFirstRecord() throws Exception {
    String bom = "\uFEFF";
    Path jsonl = Files.writeString(dir.resolve("bom.jsonl"),
        bom + "{\"id\": \"a\", \"text\": \"first\"}\n{\"id\": \"b\", \"text\": \"second\"}\n",
        StandardCharsets.UTF_8);
    Outcome json = ingest(config("jsonl", List.of(jsonl.toString())));
    assertThat(json.documents()).extracting(r -> r.<String>getAs("source_id")).containsExactlyInAnyOrder("a", "b");
    assertThat(json.result().rowsQuarantined()).isZero();
    assertThat(json.lakehouse().exists(Tables.QUARANTINE)).isFalse();

    Path text = Files.writeString(dir.resolve("bom.txt"), bom + "First line.\nSecond line.\n", StandardCharsets.UTF_8);
    Outcome perLine = ingest(config("text", List.of(text.toString())).with("ingest.text.mode", "per-line"));
    assertThat(perLine.documents()).extracting(r -> r.<String>getAs("text"))
        .containsExactlyInAnyOrder("First line.", "Second line.");
    Outcome perFile = ingest(config("text", List.of(text.toString())).with("ingest.text.mode", "per-file"));
    assertThat(perFile.documents()).extracting(r -> r.<String>getAs("text"))
        .containsExactly("First line.\nSecond line.\n");

    Path wet = Files.writeString(dir.resolve("bom.warc.wet"), bom + "WARC/1.0\r\nWARC-Type: conversion\r\n"
        + "WARC-Record-ID: <urn:uuid:1>\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n", StandardCharsets.UTF_8);
    Outcome warc = ingest(config("warc", List.of(wet.toString())));
    assertThat(warc.documents()).extracting(r -> r.<String>getAs("text")).containsExactly("hello");
    assertThat(warc.result().rowsQuarantined()).isZero();
  }

  @Test
  void readsParquetWithRowPositions() {
    Path parquet = dir.resolve("docs.parquet");
    spark.sql("SELECT * FROM VALUES ('p1', 'Parquet text one.', 'en'), ('p2', CAST(NULL AS STRING), 'fr'),"
            + " ('p3', 'Parquet text three.', 'de') AS t(id, text, lang)")
        .coalesce(1).write().parquet(parquet.toString());

    Outcome outcome = ingest(config("parquet", List.of(parquet.toString())));
    List<Row> docs = outcome.documents();
    assertThat(docs).extracting(r -> r.<String>getAs("source_id")).containsExactlyInAnyOrder("p1", "p3");
    Row p1 = docs.stream().filter(r -> r.<String>getAs("source_id").equals("p1")).findFirst().orElseThrow();
    assertThat(p1.getJavaMap(p1.fieldIndex("meta"))).containsEntry("lang", "en");
    assertThat(p1.<String>getAs("doc_id")).isEqualTo(
        dev.refinery.core.text.StableIds.docId(p1.<String>getAs("source"), "p1"));
    assertThat(outcome.quarantineReasonByPosition()).containsEntry("row 1", "missing text field 'text'");
  }

  @Test
  void readsCommonCrawlWetAndWarcResponses() {
    String wet = samples.resolve("web-sample/cc-warc-wet/whirlwind.warc.wet.gz").toString();
    String warc = samples.resolve("web-sample/cc-warc-wet/resiliparse-warcfile.warc.gz").toString();
    Outcome outcome = ingest(config("warc", List.of(wet, warc)));

    List<Row> docs = outcome.documents();
    Map<String, Long> byType = docs.stream().collect(Collectors.groupingBy(
        r -> r.<String, String>getJavaMap(r.fieldIndex("meta")).get("warc_type"), Collectors.counting()));
    assertThat(byType.get("conversion")).isEqualTo(1L);
    assertThat(byType.get("response")).isGreaterThanOrEqualTo(10L);
    assertThat(docs).allSatisfy(r -> {
      assertThat(r.<String>getAs("source_id")).startsWith("urn:uuid:");
      assertThat(r.<String, String>getJavaMap(r.fieldIndex("meta")).get("url")).startsWith("http");
      assertThat(r.<String>getAs("text")).doesNotContain("<script", "<div");
    });
    StageResult result = outcome.result();
    assertThat(result.rowsIn()).isEqualTo(result.rowsOut() + result.rowsDropped() + result.rowsQuarantined());
  }

  @Test
  void truncatedGzipIsOneQuarantinedRowNotACrash() throws Exception {
    Path file = dir.resolve("broken.jsonl.gz");
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      for (int i = 0; i < 200; i++) {
        out.write(("{\"id\": " + i + ", \"text\": \"document number " + i + " with some words\"}\n")
            .getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] all = gz.toByteArray();
    Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));

    Outcome outcome = ingest(config("jsonl", List.of(file.toString())));
    assertThat(outcome.quarantineReasonByPosition()).hasEntrySatisfying("file",
        reason -> assertThat(reason).startsWith("unreadable file: java.io.EOFException"));
    assertThat(outcome.result().rowsOut()).isPositive();
  }

  @Test
  void configErrorsNameTheKey() {
    assertThatThrownBy(() -> new IngestStageProvider().create(
        SharedSpark.config().with("ingest.warc.record-types", List.of("conversion", "bogus"))))
        .hasMessage("Invalid config key 'ingest.warc.record-types': expected WARC types among "
            + "[conversion, response, resource] but got 'bogus'".replace("[conversion, response, resource]",
                IngestOptionsTestAccess.warcTypes()));
    assertThatThrownBy(() -> new IngestStageProvider().create(SharedSpark.config().with("ingest.format", "csv")))
        .hasMessage("Invalid config key 'ingest.format': expected one of jsonl, text, parquet, warc but got 'csv'");
    RefineryConfig nothing = config("jsonl", List.of(dir.resolve("nope/*.jsonl").toString()));
    assertThatThrownBy(() -> ingest(nothing))
        .hasMessage("Cannot ingest: path '" + dir.resolve("nope/*.jsonl") + "' in ingest.paths matches no files");
  }
}
