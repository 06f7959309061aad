package dev.refinery.filtering.decontamination;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.DocumentSchemas;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.text.StableIds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * decontaminate on real data: spans of real eval items (HH-RLHF harmless-base test, the CAI paper's HHH evals)
 * planted in real clean text (WikiText-2, DCLM web pages, Self-Instruct seeds), checked against the real eval files.
 */
class DecontaminateStageTest {
  private static final Path ROOT = SharedSpark.repoRoot();
  private static final Path HH = ROOT.resolve("samples/hh-rlhf/harmless-base/test.jsonl.gz");
  private static final Path HHH = ROOT.resolve("samples/cai/evals/438HHHEvaluations.jsonl.gz");
  private static final Path WEB = ROOT.resolve("samples/web-sample/dclm-human-quality/majority_data.jsonl.gz");
  private static final Path WIKI = ROOT.resolve("samples/reference-corpus/wikitext-2-raw.test.raw.gz");
  private static final Path SEEDS = ROOT.resolve("samples/selfinstruct/seed_tasks.jsonl");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SMALL_EVAL_LINES = 60;

  private static final StructType INSTRUCTIONS = new StructType().add("instruction_id", DataTypes.StringType)
      .add("instruction", DataTypes.StringType).add("input", DataTypes.StringType).add("output", DataTypes.StringType);
  private static final StructType PAIRS = new StructType().add("pair_id", DataTypes.StringType)
      .add("prompt", DataTypes.StringType).add("chosen", DataTypes.StringType).add("rejected", DataTypes.StringType);
  private static final StructType CAI = new StructType().add("prompt_id", DataTypes.StringType)
      .add("prompt", DataTypes.StringType);

  private final SparkSession spark = SharedSpark.session();

  /** A span of an eval item: 20 raw words from its last assistant turn. */
  record Span(String evalSet, String itemId, String text) {
    List<String> tokens() {
      return NgramNormaliser.tokens(text);
    }

    String firstNgram(int n) {
      return String.join(" ", tokens().subList(0, n));
    }
  }

  /** Where a span was planted, and what contamination must say about it. */
  record Planted(String table, String rowId, String field, Span span) {}

  private static List<String> lines(Path file) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file),
        StandardCharsets.UTF_8))) {
      return reader.lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Up to {@code count} spans from the eval file, every {@code step}-th usable item among the first {@code within}. */
  private static List<Span> spans(Path file, String set, String field, int count, int step, int within) {
    List<Span> out = new ArrayList<>();
    List<String> lines = lines(file);
    int usable = 0;
    for (int i = 0; i < Math.min(within, lines.size()) && out.size() < count; i++) {
      String text = json(lines.get(i)).path(field).asText();
      String last = text.substring(text.lastIndexOf("Assistant:") + "Assistant:".length());
      String[] words = last.trim().split("\\s+");
      if (words.length < 24 || usable++ % step != 0) {
        continue;
      }
      out.add(new Span(set, String.valueOf(i + 1), String.join(" ", List.of(words).subList(2, 22))));
    }
    return out;
  }

  private static List<String> wikiLines(int count) {
    return lines(WIKI).stream().filter(l -> l.trim().split("\\s+").length >= 40).limit(count).toList();
  }

  private static String plant(String host, String span) {
    String[] words = host.trim().split(" ");
    int middle = words.length / 2;
    return String.join(" ", List.of(words).subList(0, middle)) + " " + span + " "
        + String.join(" ", List.of(words).subList(middle, words.length));
  }

  private static Row document(String sourceId, String text) {
    return RowFactory.create(StableIds.docId("test", sourceId), "test", sourceId, text,
        scala.collection.immutable.Map$.MODULE$.empty(), Timestamp.valueOf("2026-01-01 00:00:00"), "ingest-run");
  }

  private static Map<String, Object> evalSet(
      String name, Path path, String format, String idField, List<String> fields) {
    return Map.of("name", name, "path", path.toString(), "format", format, "id-field", idField, "text-fields", fields);
  }

  private static RefineryConfig fullEvalConfig() {
    return SharedSpark.config().with("decontaminate.eval-sets", List.of(
        evalSet("hhh", HHH, "jsonl", "", List.of("text_correct", "text_incorrect")),
        evalSet("hh-rlhf-harmless-test", HH, "jsonl", "", List.of("chosen", "rejected"))));
  }

  /** The first lines of the HH-RLHF test split as their own gzipped JSONL eval file (ids are line numbers still). */
  private static Path smallEvalFile() throws IOException {
    Path file = Files.createTempFile("hh-small-", ".jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      for (String line : lines(HH).subList(0, SMALL_EVAL_LINES)) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return file;
  }

  private PipelineRun run(RefineryConfig config, Lakehouse lakehouse, String runId) {
    return new StageRunner(spark, config, lakehouse, runId).run(new DecontaminateStageProvider().create(config));
  }

  /** Contamination rows as comparable strings, without run_id. */
  private static Set<String> contamination(Lakehouse lakehouse) {
    Set<String> out = new TreeSet<>();
    for (Row row : lakehouse.read(Tables.CONTAMINATION).drop("run_id").collectAsList()) {
      out.add(row.mkString("|"));
    }
    return out;
  }

  private static Map<String, List<Row>> byRow(Lakehouse lakehouse) {
    Map<String, List<Row>> out = new HashMap<>();
    for (Row row : lakehouse.read(Tables.CONTAMINATION).collectAsList()) {
      out.computeIfAbsent(row.<String>getAs("table") + "/" + row.<String>getAs("row_id"), k -> new ArrayList<>())
          .add(row);
    }
    return out;
  }

  /** Planted spans in documents, instructions, pairs and CAI prompts, beside clean real rows of each. */
  private List<Planted> seed(Lakehouse lakehouse, List<Span> spans, int cleanDocuments) {
    List<String> hosts = wikiLines(spans.size() + 20);
    List<Planted> planted = new ArrayList<>();
    List<Row> documents = new ArrayList<>();
    List<Row> instructions = new ArrayList<>();
    List<Row> pairs = new ArrayList<>();
    List<Row> prompts = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      String text = plant(hosts.get(i), span.text());
      String clean = hosts.get(hosts.size() - 1 - i % 20);
      switch (i % 4) {
        case 0 -> {
          documents.add(document("planted-" + i, text));
          planted.add(new Planted(Tables.RAW_DOCUMENTS, StableIds.docId("test", "planted-" + i), "text", span));
        }
        case 1 -> {
          String field = List.of("instruction", "input", "output").get(i / 4 % 3);
          instructions.add(RowFactory.create("instruction-" + i, field.equals("instruction") ? text : clean,
              field.equals("input") ? text : "", field.equals("output") ? text : clean));
          planted.add(new Planted(Tables.INSTRUCTIONS, "instruction-" + i, field, span));
        }
        case 2 -> {
          String field = List.of("prompt", "chosen", "rejected").get(i / 4 % 3);
          pairs.add(RowFactory.create("pair-" + i, field.equals("prompt") ? text : clean,
              field.equals("chosen") ? text : clean, field.equals("rejected") ? text : hosts.get(i)));
          planted.add(new Planted(Tables.PREFERENCE_PAIRS, "pair-" + i, field, span));
        }
        default -> {
          prompts.add(RowFactory.create("prompt-" + i, text));
          planted.add(new Planted(Tables.CAI_REVISIONS, "prompt-" + i, "prompt", span));
        }
      }
    }
    List<String> web = lines(WEB);
    for (int i = 0; i < Math.min(cleanDocuments, web.size()); i++) {
      documents.add(document("web-" + i, json(web.get(i)).path("text").asText()));
    }
    List<String> seeds = lines(SEEDS);
    for (int i = 0; i < seeds.size(); i++) {
      JsonNode seed = json(seeds.get(i));
      JsonNode instance = seed.path("instances").path(0);
      instructions.add(RowFactory.create("seed-" + i, seed.path("instruction").asText(),
          instance.path("input").asText(), instance.path("output").asText()));
    }
    for (int i = 0; i < 10; i++) {
      pairs.add(RowFactory.create("clean-pair-" + i, hosts.get(i), hosts.get(i + 1), hosts.get(i + 2)));
    }
    lakehouse.upsert(Tables.RAW_DOCUMENTS, spark.createDataFrame(documents, DocumentSchemas.RAW_DOCUMENTS),
        List.of("doc_id"));
    lakehouse.upsert(Tables.INSTRUCTIONS, spark.createDataFrame(instructions, INSTRUCTIONS), List.of("instruction_id"));
    lakehouse.upsert(Tables.PREFERENCE_PAIRS, spark.createDataFrame(pairs, PAIRS), List.of("pair_id"));
    lakehouse.upsert(Tables.CAI_REVISIONS, spark.createDataFrame(prompts, CAI), List.of("prompt_id"));
    return planted;
  }

  @Test
  void findsEveryPlantedSpanAndAlmostNoCleanRowOnBothPaths() {
    RefineryConfig config = fullEvalConfig();
    Lakehouse lakehouse = new Lakehouse(spark, config);
    List<Span> spans = new ArrayList<>(spans(HH, "hh-rlhf-harmless-test", "rejected", 16, 80, 2312));
    spans.addAll(spans(HHH, "hhh", "text_correct", 8, 37, 438));
    assertThat(spans).hasSize(24);
    List<Planted> planted = seed(lakehouse, spans, 499);
    // The same span, changed in case, punctuation, spacing and Unicode form; and one only 12 tokens long.
    Span normalised = spans.get(0);
    String changed = normalised.text().toUpperCase(java.util.Locale.ROOT).replace(" ", " ,  \n").replace("A", "\uff21");
    List<String> twelve = spans.get(1).tokens().subList(0, 12);
    String host = wikiLines(1).get(0);
    lakehouse.upsert(Tables.RAW_DOCUMENTS, spark.createDataFrame(List.of(
        document("normalised", plant(host, changed)), document("twelve", plant(host, String.join(" ", twelve)))),
        DocumentSchemas.RAW_DOCUMENTS), List.of("doc_id"));

    PipelineRun first = run(config, lakehouse, "run-1");

    Map<String, List<Row>> found = byRow(lakehouse);
    int hits = 0;
    for (Planted p : planted) {
      List<Row> rows = found.getOrDefault(p.table() + "/" + p.rowId(), List.of());
      boolean right = rows.stream().anyMatch(r -> r.<String>getAs("eval_set").equals(p.span().evalSet())
          && r.<String>getAs("eval_item_id").equals(p.span().itemId())
          && r.<String>getAs("field").equals(p.field())
          && r.<String>getAs("ngram").equals(p.span().firstNgram(13))
          && r.<Long>getAs("n_matching_ngrams") == p.span().tokens().size() - 12
          && r.<String>getAs("action").equals("drop"));
      hits += right ? 1 : 0;
      assertThat(right).as("planted %s, found %s", p, rows).isTrue();
    }
    System.out.printf("decontaminate: planted found %d/%d%n", hits, planted.size());
    List<Row> normalisedRows = found.get(Tables.RAW_DOCUMENTS + "/" + StableIds.docId("test", "normalised"));
    assertThat(normalisedRows).extracting(r -> r.<String>getAs("ngram")).contains(normalised.firstNgram(13));
    assertThat(found).doesNotContainKey(Tables.RAW_DOCUMENTS + "/" + StableIds.docId("test", "twelve"));

    // Clean real text: the DCLM web pages, Self-Instruct seeds and WikiText pairs.
    Set<String> plantedKeys = new HashSet<>();
    planted.forEach(p -> plantedKeys.add(p.table() + "/" + p.rowId()));
    plantedKeys.add(Tables.RAW_DOCUMENTS + "/" + StableIds.docId("test", "normalised"));
    long rowsIn = first.result().rowsIn();
    long clean = rowsIn - plantedKeys.size();
    long flaggedClean = found.keySet().stream().filter(k -> !plantedKeys.contains(k)).count();
    System.out.printf("decontaminate: clean rows flagged %d/%d (%.4f%%): %s%n", flaggedClean, clean,
        100.0 * flaggedClean / clean, found.keySet().stream().filter(k -> !plantedKeys.contains(k)).toList());
    assertThat(clean).isGreaterThan(650);
    assertThat((double) flaggedClean / clean).isLessThan(0.001);

    // Counts: every checked row is in, contaminated ones drop, the rest are out.
    assertThat(rowsIn).isEqualTo(lakehouse.read(Tables.RAW_DOCUMENTS).count()
        + lakehouse.read(Tables.INSTRUCTIONS).count() + lakehouse.read(Tables.PREFERENCE_PAIRS).count()
        + lakehouse.read(Tables.CAI_REVISIONS).count());
    assertThat(first.result().droppedByReason()).containsOnlyKeys("contaminated");
    assertThat(first.result().droppedByReason().get("contaminated")).isEqualTo((long) found.size());
    assertThat(first.result().rowsOut()).isEqualTo(rowsIn - found.size());
    assertThat(first.result().metrics()).containsEntry("match_path", "broadcast")
        .containsEntry("eval_items", String.valueOf(438 + 2312));

    // (A rerun leaving identical rows is DecontaminateContractTest's job.)
    Set<String> before = contamination(lakehouse);

    // The join path, forced by the threshold, finds exactly the same rows.
    RefineryConfig joined = config.with("lakehouse.root", SharedSpark.newLakehouse().toString())
        .with("decontaminate.broadcast-max-ngrams", 0);
    Lakehouse other = new Lakehouse(spark, joined);
    for (String table : List.of(Tables.RAW_DOCUMENTS, Tables.INSTRUCTIONS, Tables.PREFERENCE_PAIRS,
        Tables.CAI_REVISIONS)) {
      other.overwrite(table, lakehouse.read(table));
    }
    PipelineRun join = run(joined, other, "run-3");
    assertThat(join.result().metrics()).containsEntry("match_path", "join");
    assertThat(contamination(other)).isEqualTo(before);
    assertThat(join.result().droppedByReason()).isEqualTo(first.result().droppedByReason());
  }

  /**
   * The demo (conf/local.conf) imports its pairs from the HH-RLHF harmless-base test split, which is also a default
   * eval set: measured here on the first 64 pairs, parsed as import-pairs parses them (import-pairs.max-pairs = 64).
   */
  @Test
  void theDemosImportedTestSplitPairsAreContaminated() {
    RefineryConfig config = fullEvalConfig().with("decontaminate.check", List.of("preference-pairs"));
    Lakehouse lakehouse = new Lakehouse(spark, config);
    long pairs = dev.refinery.core.testing.HhRlhfPairs.write(spark, lakehouse, 64);
    PipelineRun run = run(config, lakehouse, "demo-pairs");
    long contaminated = run.result().droppedByReason().getOrDefault("contaminated", 0L);
    System.out.printf("decontaminate: demo's imported HH-RLHF test pairs contaminated %d/%d%n", contaminated, pairs);
    assertThat(run.result().rowsIn()).isEqualTo(pairs);
    assertThat((double) contaminated / pairs).isGreaterThan(0.95);
    Set<String> sets = new TreeSet<>(lakehouse.read(Tables.CONTAMINATION).select("eval_set")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertThat(sets).contains("hh-rlhf-harmless-test");
  }

  @Test
  void collidingHashesNeverMatchAndBothPathsAgree() throws IOException {
    Path eval = smallEvalFile();
    RefineryConfig config = SharedSpark.config().with("decontaminate.eval-sets",
        List.of(evalSet("hh", eval, "jsonl", "", List.of("chosen", "rejected"))));
    Lakehouse lakehouse = new Lakehouse(spark, config);
    List<Span> spans = spans(HH, "hh", "rejected", 8, 3, SMALL_EVAL_LINES);
    List<Planted> planted = seed(lakehouse, spans, 20);
    run(config, lakehouse, "real-hash");
    Set<String> expected = contamination(lakehouse);
    assertThat(byRow(lakehouse).keySet()).hasSize(planted.size());

    // 256 hash values for every n-gram: nearly every candidate is a collision, and none may match.
    DecontaminateStage.NgramHash colliding = ngram -> NgramNormaliser.hash(ngram) & 0xff;
    for (long threshold : new long[] {Long.MAX_VALUE, 0}) {
      RefineryConfig forced = config.with("lakehouse.root", SharedSpark.newLakehouse().toString())
          .with("decontaminate.broadcast-max-ngrams", threshold);
      Lakehouse other = new Lakehouse(spark, forced);
      for (String table : List.of(Tables.RAW_DOCUMENTS, Tables.INSTRUCTIONS, Tables.PREFERENCE_PAIRS,
          Tables.CAI_REVISIONS)) {
        other.overwrite(table, lakehouse.read(table));
      }
      PipelineRun run = new StageRunner(spark, forced, other, "colliding")
          .run(new DecontaminateStage(DecontaminateOptions.from(forced), colliding));
      assertThat(run.result().metrics().get("match_path")).isEqualTo(threshold == 0 ? "join" : "broadcast");
      assertThat(contamination(other)).isEqualTo(expected);
    }
  }

  @Test
  void ngramSizeIsConfigurableAndFlagKeepsRows() throws IOException {
    Path eval = smallEvalFile();
    RefineryConfig config = SharedSpark.config().with("decontaminate.eval-sets",
        List.of(evalSet("hh", eval, "jsonl", "", List.of("chosen", "rejected"))))
        .with("decontaminate.check", List.of("documents"));
    Lakehouse lakehouse = new Lakehouse(spark, config);
    Span span = spans(HH, "hh", "rejected", 1, 1, SMALL_EVAL_LINES).get(0);
    String twelve = String.join(" ", span.tokens().subList(0, 12));
    lakehouse.upsert(Tables.RAW_DOCUMENTS, spark.createDataFrame(List.of(
        document("twelve", plant(wikiLines(1).get(0), twelve))), DocumentSchemas.RAW_DOCUMENTS), List.of("doc_id"));

    assertThat(run(config, lakehouse, "n13").result().droppedByReason()).isEmpty();
    RefineryConfig twelveGrams = config.with("decontaminate.ngram-size", 12).with("decontaminate.action", "flag");
    PipelineRun flagged = run(twelveGrams, lakehouse, "n12");
    assertThat(flagged.result().droppedByReason()).isEmpty();
    assertThat(flagged.result().rowsOut()).isEqualTo(1);
    assertThat(flagged.result().metrics()).containsEntry("flagged", "1");
    Row row = lakehouse.read(Tables.CONTAMINATION).where(col("eval_item_id").equalTo(span.itemId())).head();
    assertThat(row.<String>getAs("ngram")).isEqualTo(twelve);
    assertThat(row.<String>getAs("action")).isEqualTo("flag");
    assertThat(row.<Long>getAs("n_matching_ngrams")).isEqualTo(1L);
  }

  @Test
  void readsJsonlAndParquetEvalSetsAndNamesAMissingField() throws IOException {
    Path jsonl = smallEvalFile();
    Path parquet = Files.createTempDirectory("hh-parquet-").resolve("eval");
    spark.read().json(jsonl.toString()).withColumn("item_id",
            org.apache.spark.sql.functions.concat(org.apache.spark.sql.functions.lit("hh-"),
                org.apache.spark.sql.functions.monotonically_increasing_id().plus(1).cast("string")))
        .coalesce(1).write().parquet(parquet.toString());
    RefineryConfig config = SharedSpark.config().with("decontaminate.eval-sets", List.of(
        evalSet("hh-jsonl", jsonl, "jsonl", "", List.of("chosen", "rejected")),
        evalSet("hh-parquet", parquet, "parquet", "item_id", List.of("chosen", "rejected"))))
        .with("decontaminate.check", List.of("documents"));
    Lakehouse lakehouse = new Lakehouse(spark, config);
    List<Span> spans = spans(HH, "hh", "rejected", 3, 5, SMALL_EVAL_LINES);
    List<Row> documents = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      documents.add(document("planted-" + i, plant(wikiLines(3).get(i), spans.get(i).text())));
    }
    lakehouse.upsert(Tables.RAW_DOCUMENTS, spark.createDataFrame(documents, DocumentSchemas.RAW_DOCUMENTS),
        List.of("doc_id"));
    run(config, lakehouse, "formats");
    Dataset<Row> found = lakehouse.read(Tables.CONTAMINATION);
    for (Span span : spans) {
      assertThat(found.where(col("eval_set").equalTo("hh-jsonl").and(col("eval_item_id").equalTo(span.itemId())))
          .count()).isEqualTo(1);
      assertThat(found.where(col("eval_set").equalTo("hh-parquet")
          .and(col("eval_item_id").equalTo("hh-" + span.itemId()))).count()).isEqualTo(1);
    }

    DecontaminateOptions.EvalSet missing = new DecontaminateOptions.EvalSet("hh", jsonl.toString(),
        DecontaminateOptions.Format.JSONL, java.util.Optional.empty(), List.of("chosen", "response"));
    assertThatThrownBy(() -> EvalSetReader.read(spark, missing))
        .isInstanceOf(RefineryException.class)
        .hasMessage("Cannot read eval set hh: field 'response' is not in " + jsonl
            + " (fields: [chosen, rejected]); set the eval set's id-field or text-fields");
    DecontaminateOptions.EvalSet missingId = new DecontaminateOptions.EvalSet("hh", parquet.toString(),
        DecontaminateOptions.Format.PARQUET, java.util.Optional.of("id"), List.of("chosen"));
    assertThatThrownBy(() -> EvalSetReader.read(spark, missingId))
        .hasMessage("Cannot read eval set hh: field 'id' is not in " + parquet
            + " (fields: [chosen, rejected, item_id]); set the eval set's id-field or text-fields");
  }
}
