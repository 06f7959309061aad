package dev.refinery.annotation.imports;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class ImportPairsStageTest {
  private static final Path HH = SharedSpark.repoRoot().resolve("samples/hh-rlhf/harmless-base/test.jsonl.gz");

  private final SparkSession spark = SharedSpark.session();

  private PipelineRun run(RefineryConfig config, String runId, Stage stage) {
    return new StageRunner(spark, config, new Lakehouse(spark, config), runId).run(stage);
  }

  /** Lines of the real HH-RLHF sample, by 1-based number. */
  private static List<String> sampleLines(int... numbers) throws Exception {
    List<String> all = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(new GZIPInputStream(Files.newInputStream(HH)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        all.add(line);
      }
    }
    List<String> picked = new ArrayList<>();
    for (int number : numbers) {
      picked.add(all.get(number - 1));
    }
    return picked;
  }

  @Test
  void importsTheSampleIdempotently() {
    RefineryConfig config = SharedSpark.config()
        .with("import-pairs.paths", List.of(HH.toString()))
        .with("import-pairs.max-pairs", 60);
    Lakehouse lakehouse = new Lakehouse(spark, config);
    PipelineRun imported = run(config, "run-1", new ImportPairsStageProvider().create(config));

    assertThat(imported.result().reconciles()).isTrue();
    assertThat(imported.result().rowsIn()).isEqualTo(60);
    long pairs = lakehouse.read(Tables.PREFERENCE_PAIRS).count();
    assertThat(pairs).isEqualTo(imported.result().rowsOut()).isGreaterThan(50);
    Row first = lakehouse.read(Tables.PREFERENCE_PAIRS).filter(col("origin_id").endsWith(".jsonl.gz:1")).head();
    assertThat(first.<String>getAs("prompt")).startsWith("Human: what are some pranks with a pen")
        .endsWith("\n\nAssistant:");
    assertThat(first.<String>getAs("chosen")).startsWith("No, sorry!");
    assertThat(first.<String>getAs("source")).isEqualTo("hh-rlhf");

    run(config, "run-2", new ImportPairsStageProvider().create(config));
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).count()).isEqualTo(pairs);
  }

  /** origin_id is file:line with the line counted within its own file, not across all files. */
  @Test
  void numbersLinesWithinEachFile() throws Exception {
    Path dir = Files.createTempDirectory("import-pairs-");
    List<String> lines = sampleLines(1, 2, 3, 4, 87);
    Path a = Files.write(dir.resolve("a.jsonl"), List.of(lines.get(0), lines.get(1)));
    // b: a blank line, then line 3 of the sample at line 2, a broken line at 3, line 4 at 4, an empty response at 5.
    Path b = Files.write(dir.resolve("b.jsonl"), List.of("", lines.get(2), "{not json", lines.get(3), lines.get(4)));
    RefineryConfig config = SharedSpark.config().with("import-pairs.paths", List.of(a.toString(), b.toString()));
    PipelineRun run = run(config, "run-1", new ImportPairsStageProvider().create(config));

    assertThat(run.result().rowsIn()).isEqualTo(6);
    assertThat(run.result().rowsOut()).isEqualTo(4);
    assertThat(run.result().droppedByReason()).containsExactlyEntriesOf(java.util.Map.of("empty_response", 1L));
    assertThat(run.result().rowsQuarantined()).isEqualTo(1);
    assertThat(run.result().reconciles()).isTrue();
    Lakehouse lakehouse = new Lakehouse(spark, config);
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).orderBy("origin_id").collectAsList())
        .extracting(r -> r.<String>getAs("origin_id").replaceFirst("^.*/", ""))
        .containsExactly("a.jsonl:1", "a.jsonl:2", "b.jsonl:2", "b.jsonl:4");
    Row bad = lakehouse.read(Tables.QUARANTINE).head();
    assertThat(bad.<String>getAs("position")).isEqualTo("line 3");
    assertThat(bad.<String>getAs("source")).endsWith("/b.jsonl");
    assertThat(bad.<String>getAs("reason")).isEqualTo("not_a_pair_object");
  }

  /** The same HH-RLHF line through import-pairs and import-labels (format hh-rlhf) is one preference pair. */
  @Test
  void bothImportStagesGiveTheSameLineTheSamePairId() throws Exception {
    Path file = Files.write(Files.createTempDirectory("hh-").resolve("pairs.jsonl"), sampleLines(1, 2, 3, 87));
    RefineryConfig config = SharedSpark.config()
        .with("import-pairs.paths", List.of(file.toString()))
        .with("import-labels.format", "hh-rlhf")
        .with("import-labels.paths", List.of(file.toString()));
    PipelineRun pairs = run(config, "run-1", new ImportPairsStageProvider().create(config));
    PipelineRun labels = run(config, "run-1", new ImportLabelsProvider().create(config));

    assertThat(pairs.result().rowsOut()).isEqualTo(3);
    assertThat(labels.result().rowsOut()).isEqualTo(3);
    assertThat(labels.result().droppedByReason()).containsEntry("empty_response", 1L);
    assertThat(labels.result().reconciles()).isTrue();
    Lakehouse lakehouse = new Lakehouse(spark, config);
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).count()).isEqualTo(3);
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).select("prompt").distinct().count()).isEqualTo(3);
  }

  @Test
  void ignoresAByteOrderMarkAtTheStartOfAFile() throws Exception {
    Path file = Files.createTempDirectory("bom-").resolve("pairs.jsonl");
    Files.writeString(file, "\uFEFF" + String.join("\n", sampleLines(1, 2)) + "\n", StandardCharsets.UTF_8);
    RefineryConfig config = SharedSpark.config().with("import-pairs.paths", List.of(file.toString()));
    PipelineRun run = run(config, "run-1", new ImportPairsStageProvider().create(config));

    assertThat(run.result().rowsQuarantined()).isZero();
    assertThat(run.result().rowsOut()).isEqualTo(2);
    Lakehouse lakehouse = new Lakehouse(spark, config);
    assertThat(lakehouse.exists(Tables.QUARANTINE) ? lakehouse.read(Tables.QUARANTINE).count() : 0L).isZero();
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).filter(col("prompt").startsWith("\uFEFF")).count()).isZero();
  }

  @Test
  void aPathThatMatchesNoFileFailsNamingIt() {
    String missing = SharedSpark.newLakehouse().resolve("no-such-*.jsonl").toString();
    RefineryConfig config = SharedSpark.config().with("import-pairs.paths", List.of(HH.toString(), missing));
    assertThatThrownBy(() -> run(config, "run-1", new ImportPairsStageProvider().create(config)))
        .isInstanceOf(RefineryException.class)
        .hasMessage("Cannot run stage import-pairs: path '" + missing + "' in import-pairs.paths matches no files");
  }
}
