package dev.refinery.annotation.imports;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class ImportLabelsStageTest {
  private static final Path PANDALM = SharedSpark.repoRoot().resolve("samples/preference-annotations/pandalm");

  private PipelineRun run(RefineryConfig config, String runId) {
    SparkSession spark = SharedSpark.session();
    return new StageRunner(spark, config, new Lakehouse(spark, config), runId)
        .run(new ImportLabelsProvider().create(config));
  }

  @Test
  void importsPandaLmPairsHumansAndJudgesAndIsIdempotent() {
    RefineryConfig config = SharedSpark.config()
        .with("import-labels.format", "pandalm")
        .with("import-labels.paths", List.of(PANDALM.resolve("gpt-3.5-turbo-testset-v1.json").toString(),
            PANDALM.resolve("testset-v1.json").toString()));
    PipelineRun first = run(config, "run-1");

    // 999 x 3 human labels + 999 gpt-3.5 verdicts, of which 25 are "garbage".
    assertThat(first.result().rowsIn()).isEqualTo(999 * 4);
    assertThat(first.result().rowsOut()).isEqualTo(999 * 4 - 25);
    assertThat(first.result().rowsQuarantined()).isEqualTo(25);
    Lakehouse lakehouse = new Lakehouse(SharedSpark.session(), config);
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).count()).isEqualTo(999);
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).filter(col("source").notEqual("import")).count()).isZero();
    var judgments = lakehouse.read(Tables.JUDGMENTS);
    assertThat(judgments.filter(col("rater_kind").equalTo("human")).count()).isEqualTo(2997);
    // Upstream README: label totals over the 2997 human votes are 1416 x "2", 1255 x "1", 326 x "0".
    assertThat(judgments.filter(col("rater_kind").equalTo("human").and(col("label").equalTo("B"))).count())
        .isEqualTo(1416);
    assertThat(judgments.filter(col("rater_kind").equalTo("human").and(col("label").equalTo("A"))).count())
        .isEqualTo(1255);
    assertThat(judgments.filter(col("rater_kind").equalTo("human").and(col("label").equalTo("tie"))).count())
        .isEqualTo(326);
    Row garbage = lakehouse.read(Tables.QUARANTINE).orderBy("position").first();
    assertThat(garbage.<String>getAs("reason")).isEqualTo("unparseable-label: 'garbage'");
    assertThat(garbage.<String>getAs("source")).endsWith("gpt-3.5-turbo-testset-v1.json");
    assertThat(garbage.<String>getAs("stage")).isEqualTo("import-labels");

    // The first item: response1 is A; all three annotators said 2 (B).
    Row pair = lakehouse.read(Tables.PREFERENCE_PAIRS)
        .filter(col("chosen").equalTo("If you have any questions about my rate, please let me know.")).first();
    assertThat(judgments.filter(col("pair_id").equalTo(pair.<String>getAs("pair_id")))
        .filter(col("rater_kind").equalTo("human")).select("label").distinct().collectAsList())
        .extracting(r -> r.getString(0)).containsExactly("B");

    run(config, "run-2");
    assertThat(lakehouse.read(Tables.JUDGMENTS).count()).isEqualTo(999 * 4 - 25);
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).count()).isEqualTo(999);
  }

  @Test
  void importsGenericCsvAndQuarantinesBadRows() throws Exception {
    Path dir = Files.createTempDirectory("labels-");
    Path csv = dir.resolve("labels.csv");
    Files.writeString(csv, String.join("\n",
        "item,rater,label",
        "p1,alice,A",
        "p1,bob,\"b\"",
        "p1,alice,B",
        "p2,alice,maybe",
        "p2,,tie",
        "p2,carol,tie,extra",
        "p2,bob,0"));
    RefineryConfig config = SharedSpark.config()
        .with("import-labels.format", "generic")
        .with("import-labels.source-name", "team")
        .with("import-labels.paths", List.of(csv.toString()));
    PipelineRun run = run(config, "run-1");

    assertThat(run.result().rowsIn()).isEqualTo(7);
    assertThat(run.result().rowsOut()).isEqualTo(3);
    assertThat(run.result().droppedByReason()).containsEntry("duplicate-label", 1L);
    assertThat(run.result().rowsQuarantined()).isEqualTo(3);
    Lakehouse lakehouse = new Lakehouse(SharedSpark.session(), config);
    assertThat(lakehouse.read(Tables.JUDGMENTS).orderBy("pair_id", "rater_id").collectAsList())
        .extracting(r -> r.getAs("pair_id") + "/" + r.getAs("rater_id") + "/" + r.getAs("label"))
        .containsExactly("p1/team:alice/A", "p1/team:bob/B", "p2/team:bob/tie");
    assertThat(lakehouse.read(Tables.QUARANTINE).orderBy("position").collectAsList())
        .extracting(r -> r.getAs("position") + ": " + r.getAs("reason"))
        .containsExactly("line 5: unparseable-label: 'maybe'",
            "line 6: missing-field: item and rater are required",
            "line 7: bad-csv-row: 4 cells, header has 3");
  }

  /** Excel and other Windows tools start CSV exports with a UTF-8 byte-order mark; the header must still match. */
  @Test
  void readsACsvThatStartsWithAByteOrderMark() throws Exception {
    Path csv = Files.createTempDirectory("labels-").resolve("labels.csv");
    Files.writeString(csv, "\uFEFFitem,rater,label\np1,alice,A\np2,bob,B\n", java.nio.charset.StandardCharsets.UTF_8);
    RefineryConfig config = SharedSpark.config()
        .with("import-labels.format", "generic")
        .with("import-labels.paths", List.of(csv.toString()));
    PipelineRun run = run(config, "run-1");

    assertThat(run.result().rowsOut()).isEqualTo(2);
    assertThat(run.result().rowsQuarantined()).isZero();
  }

  @Test
  void importsLabelStudioChoicesAndPairwise() throws Exception {
    Path file = Files.createTempFile("label-studio-", ".json");
    Files.writeString(file, """
        [{"id": 1, "data": {"prompt": "Say hi", "chosen": "Hi!", "rejected": "Go away."},
          "annotations": [
            {"completed_by": 7, "result": [{"type": "choices", "value": {"choices": ["chosen"]}}]},
            {"completed_by": {"id": 8, "email": "b@x"}, "result": [{"type": "pairwise", "value": {"selected": "right"}}]},
            {"completed_by": 9, "was_cancelled": true, "result": []}]},
         {"id": 2, "data": {"pair_id": "existing"},
          "annotations": [{"completed_by": 7, "result": [{"type": "choices", "value": {"choices": ["Tie"]}}]}]},
         {"id": 3, "data": {"text": "no item"}, "annotations": []}]
        """);
    RefineryConfig config = SharedSpark.config()
        .with("import-labels.format", "label-studio")
        .with("import-labels.paths", List.of(file.toString()));
    PipelineRun run = run(config, "run-1");

    assertThat(run.result().rowsOut()).isEqualTo(3);
    assertThat(run.result().rowsQuarantined()).isEqualTo(2);
    Lakehouse lakehouse = new Lakehouse(SharedSpark.session(), config);
    assertThat(lakehouse.read(Tables.JUDGMENTS).orderBy("rater_id", "pair_id").collectAsList())
        .extracting(r -> r.getAs("rater_id") + "/" + r.getAs("label"))
        .containsExactlyInAnyOrder("label-studio:7/A", "label-studio:7/tie", "label-studio:b@x/B");
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).count()).isEqualTo(1);
  }

  @Test
  void importsHhRlhfPairs() {
    RefineryConfig config = SharedSpark.config()
        .with("import-labels.format", "hh-rlhf")
        .with("import-labels.max-records", 20)
        .with("import-labels.paths",
            List.of(SharedSpark.repoRoot().resolve("samples/hh-rlhf/harmless-base/test.jsonl.gz").toString()));
    PipelineRun run = run(config, "run-1");

    assertThat(run.result().rowsIn()).isEqualTo(20);
    assertThat(run.result().rowsOut() + run.result().rowsQuarantined()
        + run.result().rowsDropped()).isEqualTo(20);
    Row pair = new Lakehouse(SharedSpark.session(), config).read(Tables.PREFERENCE_PAIRS).first();
    assertThat(pair.<String>getAs("prompt")).startsWith("Human:").endsWith("\n\nAssistant:");
    assertThat(pair.<String>getAs("chosen")).isEqualTo(pair.<String>getAs("chosen").strip()).isNotEmpty();
    List<Row> messages = pair.getList(pair.fieldIndex("prompt_messages"));
    assertThat(messages.get(0).getString(0)).isEqualTo("user");
  }

  @Test
  void rejectsUnknownFormatNamingTheKey() {
    assertThatThrownBy(() -> new ImportLabelsProvider().create(SharedSpark.config().with("import-labels.format", "xml")))
        .isInstanceOf(RefineryException.class)
        .hasMessage("Invalid config key 'import-labels.format': expected one of generic, label-studio, pandalm, "
            + "hh-rlhf but got 'xml'");
  }
}
