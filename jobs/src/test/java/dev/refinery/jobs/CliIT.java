package dev.refinery.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/refinery end to end: run (quiet and --verbose), tables, sql --format tsv, history, and exit codes of user
 * errors.
 */
class CliIT {
  @TempDir Path dir;

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result refinery(String... args) throws Exception {
    return start("cli", args).call();
  }

  /** Starts bin/refinery; {@code call} waits for it (5 minutes at most). {@code name} names its output files. */
  private java.util.concurrent.Callable<Result> start(String name, String... args) throws Exception {
    Path root = SharedSpark.repoRoot();
    List<String> command = new ArrayList<>(List.of(root.resolve("bin/refinery").toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve(name + "-out.txt");
    Path err = dir.resolve(name + "-err.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("REFINERY_DRIVER_MEMORY", "1g");
    Process process = builder.start();
    return () -> {
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    };
  }

  @Test
  void twoIngestsIntoOneNewLakehouseAtOnceBothLandAndAreRecorded() throws Exception {
    String lakehouse = dir.resolve("shared-lake").toString();
    Path first = dir.resolve("first.jsonl");
    Path second = dir.resolve("second.jsonl");
    Files.writeString(first, "{\"id\": \"a1\", \"text\": \"first file, one\"}\n{\"id\": \"a2\", \"text\": \"first file, two\"}\n");
    Files.writeString(second, "{\"id\": \"b1\", \"text\": \"second file\"}\n{\"id\": \"b2\", \"text\": \"\"}\n");

    var one = start("one", "run", "ingest", "--lakehouse", lakehouse, "--set", "run-id=one",
        "--set", "ingest.paths=[\"" + first + "\"]");
    var two = start("two", "run", "ingest", "--lakehouse", lakehouse, "--set", "run-id=two",
        "--set", "ingest.paths=[\"" + second + "\"]");
    Result a = one.call();
    Result b = two.call();

    assertThat(a.exitCode()).as(a.stdout() + a.stderr()).isZero();
    assertThat(b.exitCode()).as(b.stdout() + b.stderr()).isZero();
    Result rows = refinery("sql", "--lakehouse", lakehouse, "--format", "tsv",
        "SELECT source_id FROM raw_documents ORDER BY source_id");
    assertThat(rows.stdout()).isEqualTo("source_id\na1\na2\nb1\n");
    Result runs = refinery("sql", "--lakehouse", lakehouse, "--format", "tsv",
        "SELECT run_id, status, rows_in, rows_out, rows_quarantined FROM pipeline_runs ORDER BY run_id");
    assertThat(runs.stdout()).isEqualTo("run_id\tstatus\trows_in\trows_out\trows_quarantined\n"
        + "one\tsucceeded\t2\t2\t0\ntwo\tsucceeded\t2\t1\t1\n");
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
  void runPrintsProgressAndTheSummaryAndLogsToAFileUnlessVerbose() throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, "{\"id\": \"x\", \"text\": \"hello\"}\n");
    Path lakehouse = dir.resolve("quiet-lake");
    Result quiet = refinery("run", "ingest", "--lakehouse", lakehouse.toString(), "--set", "run-id=quiet-1",
        "--set", "ingest.paths=[\"" + input + "\"]");
    assertThat(quiet.exitCode()).as(quiet.stderr()).isZero();
    Path log = lakehouse.resolve("_logs/refinery-quiet-1.log");
    List<String> lines = quiet.stdout().lines().toList();
    assertThat(lines.get(0)).isEqualTo("Log: " + log + " (--verbose shows it on the console)");
    assertThat(lines.get(1)).isEqualTo("Lakehouse: " + lakehouse);
    assertThat(lines.get(2)).matches("  ingest +succeeded in [0-9.]+s");
    assertThat(lines.get(3)).isEmpty();
    assertThat(lines.get(4)).startsWith("stage").contains("dropped by reason");
    assertThat(lines.get(5)).matches("[- ]+");
    assertThat(lines.get(6)).matches("ingest +succeeded +1 +1 +0 +0 +[0-9.]+ *");
    assertThat(lines).hasSize(7);
    // The launcher may say it is building; nothing else reaches the console.
    assertThat(quiet.stderr().lines().filter(l -> !l.startsWith("[refinery] building"))).isEmpty();
    String logged = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(logged).contains(" INFO  dev.refinery.core.stage.StageRunner: Stage ingest SUCCEEDED");

    Result verbose = refinery("run", "ingest", "--lakehouse", dir.resolve("verbose-lake").toString(), "--verbose",
        "--set", "ingest.paths=[\"" + input + "\"]");
    assertThat(verbose.exitCode()).as(verbose.stderr()).isZero();
    assertThat(verbose.stdout()).doesNotContain("Log: ").containsPattern("ingest +succeeded +1 +1 +0 +0");
    assertThat(verbose.stderr()).contains("WARNING: Using incubator modules")
        .contains("INFO  StageRunner: Stage ingest SUCCEEDED");
    assertThat(dir.resolve("verbose-lake/_logs")).doesNotExist();
    // Whatever warned on the console with --verbose warned into the file without it.
    Set<String> warnedOnConsole = loggers(verbose.stderr(), "^\\d\\d:\\d\\d:\\d\\d WARN  (\\w+): ");
    assertThat(warnedOnConsole).isNotEmpty();
    assertThat(loggers(logged, " WARN  (?:[\\w$]+\\.)*([\\w$]+): ")).containsAll(warnedOnConsole);
  }

  /** The simple names of the loggers of the lines matching {@code pattern} (group 1). */
  private static Set<String> loggers(String text, String pattern) {
    Pattern line = Pattern.compile(pattern);
    return text.lines().map(line::matcher).filter(Matcher::find).map(m -> m.group(1)).collect(Collectors.toSet());
  }

  @Test
  void userErrorsExitWithCodeTwoAndNameTheProblem() throws Exception {
    Result unknownStage = refinery("run", "no-such-stage");
    assertThat(unknownStage.exitCode()).isEqualTo(2);
    assertThat(unknownStage.stderr()).contains("error: Unknown stage 'no-such-stage': available stages are "
        + String.join(", ", StageCatalog.discover().names()));

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
    assertThat(order).hasSize(20).contains("ingest", "cai", "train-dpo");

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
