package dev.refinery.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/refinery end to end: run, tables, sql --format tsv, history, and exit codes of user errors. */
class CliIT {
  @TempDir Path dir;

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result refinery(String... args) throws Exception {
    Path root = SharedSpark.repoRoot();
    List<String> command = new ArrayList<>(List.of(root.resolve("bin/refinery").toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("REFINERY_DRIVER_MEMORY", "1g");
    Process process = builder.start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void runThenQueryTheTablesByName() throws Exception {
    String lakehouse = dir.resolve("lake").toString();
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, "{\"id\": \"x\", \"text\": \"hello\\tworld\"}\n{\"id\": \"y\", \"text\": \"\"}\n");

    Result run = refinery("run", "ingest", "--lakehouse", lakehouse, "--set", "ingest.paths=[\"" + input + "\"]");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).containsPattern("ingest\\s+succeeded\\s+2\\s+1\\s+0\\s+1");

    Result sql = refinery("sql", "--lakehouse", lakehouse, "--format", "tsv",
        "SELECT source_id, text FROM raw_documents ORDER BY source_id");
    assertThat(sql.exitCode()).as(sql.stderr()).isZero();
    assertThat(sql.stdout()).isEqualTo("source_id\ttext\nx\thello\\tworld\n");

    Result quarantine = refinery("sql", "--lakehouse", lakehouse, "--format", "json",
        "SELECT position, reason FROM quarantine");
    assertThat(quarantine.stdout().strip()).isEqualTo("{\"position\":\"line 2\",\"reason\":\"empty text\"}");

    Result tables = refinery("tables", "--lakehouse", lakehouse);
    assertThat(tables.stdout()).containsPattern("raw_documents\\s+\\d+\\s+1\\s+")
        .containsPattern("quarantine\\s+\\d+\\s+1\\s+").contains("pipeline_runs");

    Result history = refinery("history", "raw_documents", "--lakehouse", lakehouse);
    assertThat(history.exitCode()).isZero();
    assertThat(history.stdout()).contains("WRITE");
  }

  @Test
  void userErrorsExitWithCodeTwoAndNameTheProblem() throws Exception {
    Result unknownStage = refinery("run", "no-such-stage");
    assertThat(unknownStage.exitCode()).isEqualTo(2);
    assertThat(unknownStage.stderr()).contains("error: Unknown stage 'no-such-stage': available stages are ingest");

    Result badKey = refinery("run", "ingest", "--set", "ingest.max-document-bytes=lots");
    assertThat(badKey.exitCode()).isEqualTo(2);
    assertThat(badKey.stderr()).contains("error: Invalid config key 'ingest.max-document-bytes'");

    Result noPairs = refinery("run", "import-pairs", "--lakehouse", dir.resolve("lake").toString());
    assertThat(noPairs.exitCode()).isEqualTo(2);
    assertThat(noPairs.stderr()).contains(": import-pairs.paths is empty");
  }

  @Test
  void stagesListsTheWholePipelineInOrderAsTextAndJson() throws Exception {
    List<String> order = StageCatalog.discover().names();
    assertThat(order).hasSize(16).contains("ingest", "cai", "train-dpo");

    Result stages = refinery("stages");
    assertThat(stages.exitCode()).as(stages.stderr()).isZero();
    List<String> names = new ArrayList<>();
    for (String line : stages.stdout().lines().toList()) {
      String first = line.strip().split("\\s+")[0];
      if (order.contains(first)) {
        names.add(first);
      }
    }
    assertThat(names).isEqualTo(order);

    Result json = refinery("stages", "--json");
    assertThat(json.exitCode()).as(json.stderr()).isZero();
    var graph = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.stdout());
    List<String> listed = new ArrayList<>();
    graph.get("stages").forEach(stage -> {
      // Producers first: every stage a stage waits for is listed before it.
      stage.get("upstream").forEach(up -> assertThat(listed).contains(up.asText()));
      listed.add(stage.get("name").asText());
    });
    assertThat(listed).isEqualTo(order);
  }
}
