package dev.refinery.jobs.cli;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.jobs.Pipeline;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Run named stages in dependency order ('all' runs every stage).")
public final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Parameters(arity = "1..*", paramLabel = "STAGE", description = "Stage names, or 'all'.")
  List<String> stages = new ArrayList<>();

  @Option(names = "--verbose", description = VERBOSE)
  boolean verbose;

  static final String VERBOSE = "Show Spark's, Delta's and the models' logs on the console (default: only a line "
      + "per stage and the summary; the logs go to <lakehouse>/_logs/refinery-<run-id>.log).";

  @Override
  public Integer call() {
    return runStages(options.load(), stages, System.out, verbose);
  }

  /**
   * Runs the stages, printing a line per stage and the summary to {@code out}; the logs go to a file
   * ({@link RunLog}) unless {@code verbose} or under spark-submit.
   */
  static int runStages(RefineryConfig config, List<String> stageNames, PrintStream out, boolean verbose) {
    StageCatalog catalog = StageCatalog.discover();
    // Resolve before starting Spark so an unknown stage or a bad option fails in milliseconds.
    catalog.resolve(stageNames, config);
    // Fix the run id here, so the log file is named after the run that pipeline_runs records.
    RefineryConfig run = config.getOptionalString("run-id").isPresent() ? config : config.with("run-id", newRunId());
    // Under spark-submit the cluster manager collects the driver's stderr, and a local file would be lost with
    // the container: the logs stay on the console there.
    if (verbose || SparkSessions.launchedBySparkSubmit()) {
      return runStages(run, catalog, stageNames, out);
    }
    try (RunLog log = RunLog.toFile(run.getString("lakehouse.root"), run.getString("run-id"))) {
      out.println(log.describe());
      return runStages(run, catalog, stageNames, out);
    }
  }

  private static int runStages(RefineryConfig config, StageCatalog catalog, List<String> stageNames,
      PrintStream out) {
    List<PipelineRun> runs = new ArrayList<>();
    try (Session session = new Session(config)) {
      out.printf(Locale.ROOT, "Lakehouse: %s%n", session.lakehouse.root());
      try {
        new Pipeline(session.spark, config, session.lakehouse, catalog).run(stageNames, run -> {
          runs.add(run);
          out.printf(Locale.ROOT, "  %-15s %s in %.1fs%n", run.stage(), run.status().name().toLowerCase(Locale.ROOT),
              run.durationMillis() / 1000.0);
        });
      } finally {
        printSummary(runs, out);
      }
    }
    return 0;
  }

  /** A run id of the form Pipeline generates ({@code 20260101T120000Z-1a2b3c}), which it uses when given one. */
  static String newRunId() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")) + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  static void printSummary(List<PipelineRun> runs, PrintStream out) {
    if (runs.isEmpty()) {
      return;
    }
    out.println();
    TextTable table = new TextTable(List.of("stage", "status", "rows in", "rows out", "dropped", "quarantined",
        "seconds", "dropped by reason"));
    for (PipelineRun run : runs) {
      var r = run.result();
      table.add(List.of(run.stage(), run.status().name().toLowerCase(Locale.ROOT), r.rowsIn(), r.rowsOut(),
          r.rowsDropped(), r.rowsQuarantined(), String.format(Locale.ROOT, "%.1f", run.durationMillis() / 1000.0),
          r.droppedByReason().isEmpty() ? "" : r.droppedByReason().toString()));
    }
    table.print(out);
  }

}
