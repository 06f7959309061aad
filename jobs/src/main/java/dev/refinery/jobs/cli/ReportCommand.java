package dev.refinery.jobs.cli;

import dev.refinery.core.error.RefineryException;
import dev.refinery.jobs.report.HtmlReport;
import dev.refinery.jobs.report.RunReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", description = "Write a self-contained HTML report of a run: funnel, perplexity, dedup, "
    + "agreement and training charts (opens offline).")
public final class ReportCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--run", paramLabel = "ID",
      description = "Show the stages of this pipeline run in the funnel (default: each stage's latest run).")
  String runId;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "refinery-report.html",
      description = "Where to write the HTML (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() {
    try (Session session = new Session(options.load())) {
      RunReport report = RunReport.collect(session.spark, session.lakehouse, Optional.ofNullable(runId));
      String html = HtmlReport.render(report);
      try {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(out, html, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw RefineryException.userError("Cannot write the report to %s: %s", out, e.getMessage());
      }
      long shown = report.sections().stream().filter(s -> s.available()).count();
      System.out.printf("Report of %s written to %s (%d of %d sections have data)%n",
          report.describe(), out.toAbsolutePath(), shown, report.sections().size());
    }
    return 0;
  }
}
