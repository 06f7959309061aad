package dev.refinery.jobs.cli;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.jobs.Pipeline;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Run named stages in dependency order ('all' runs every stage).")
public final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Parameters(arity = "1..*", paramLabel = "STAGE", description = "Stage names, or 'all'.")
  List<String> stages = new ArrayList<>();

  @Override
  public Integer call() {
    return runStages(options.load(), stages, System.out);
  }

  static int runStages(RefineryConfig config, List<String> stageNames, PrintStream out) {
    StageCatalog catalog = StageCatalog.discover();
    // Resolve before starting Spark so an unknown stage or a bad option fails in milliseconds.
    catalog.resolve(stageNames, config);
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
