package dev.refinery.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The run report: what one pipeline run did (the funnel from {@code pipeline_runs}) and what the lakehouse
 * holds now (perplexity, dedup, agreement, training). Sections whose tables do not exist yet say so instead of
 * failing, so the report works at every point of the pipeline. Render with {@link HtmlReport}.
 *
 * @param runId the reported run; empty when the lakehouse has no pipeline_runs yet
 */
public record RunReport(Optional<String> runId, String lakehouseRoot, Instant generatedAt,
    List<ReportSection> sections) {
  public RunReport {
    sections = List.copyOf(sections);
  }

  /**
   * Collects the report for {@code runId}, or for the latest run (by start time) when empty.
   *
   * @throws RefineryException (user error) when {@code runId} is given but has no pipeline_runs rows
   */
  public static RunReport collect(SparkSession spark, Lakehouse lakehouse, Optional<String> runId) {
    Optional<String> chosen = runId.isPresent() ? runId : latestRun(lakehouse);
    List<Row> runs = chosen.map(id -> runsOf(lakehouse, id)).orElse(List.of());
    if (runId.isPresent() && runs.isEmpty()) {
      throw RefineryException.userError("Cannot report run '%s': pipeline_runs has no rows for it%s", runId.get(),
          latestRun(lakehouse).map(l -> " (latest run: " + l + ")").orElse(""));
    }
    ReportInput input = new ReportInput(spark, lakehouse, chosen, runs);
    List<ReportSection> sections = new ArrayList<>();
    sections.add(safely(FunnelSection.ID, FunnelSection.TITLE, FunnelSection::build, input));
    sections.add(safely(PerplexitySection.ID, PerplexitySection.TITLE, PerplexitySection::build, input));
    sections.add(safely(DedupSection.ID, DedupSection.TITLE, DedupSection::build, input));
    sections.add(safely(AgreementSection.ID, AgreementSection.TITLE, AgreementSection::build, input));
    sections.add(safely(TrainingSection.ID, TrainingSection.TITLE, TrainingSection::build, input));
    return new RunReport(chosen, lakehouse.root(), Instant.now(), sections);
  }

  /** A section that cannot be built (e.g. a table written by an older schema) is reported, not fatal. */
  private static ReportSection safely(String id, String title, Function<ReportInput, ReportSection> builder,
      ReportInput input) {
    input.spark().sparkContext().setJobGroup("report", "refinery report: " + title, false);
    try {
      return builder.apply(input);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
          .orElse("");
      System.err.println("warning: Cannot build report section '" + title + "': " + message);
      return ReportSection.missing(id, title, "Cannot build this section: " + message);
    } finally {
      input.spark().sparkContext().clearJobGroup();
    }
  }

  static Optional<String> latestRun(Lakehouse lakehouse) {
    if (!lakehouse.exists(Tables.PIPELINE_RUNS)) {
      return Optional.empty();
    }
    List<Row> rows = lakehouse.read(Tables.PIPELINE_RUNS).groupBy("run_id").agg(max("started_at").as("last"))
        .orderBy(col("last").desc(), col("run_id").desc()).limit(1).collectAsList();
    return rows.stream().findFirst().map(r -> r.getString(0));
  }

  private static List<Row> runsOf(Lakehouse lakehouse, String runId) {
    if (!lakehouse.exists(Tables.PIPELINE_RUNS)) {
      return List.of();
    }
    List<Row> rows = new ArrayList<>(lakehouse.read(Tables.PIPELINE_RUNS).where(col("run_id").equalTo(runId))
        .collectAsList());
    rows.sort(Comparator.comparingInt((Row r) -> rank(r.getAs("stage"))).thenComparing(r -> r.<String>getAs("stage")));
    return rows;
  }

  private static final List<String> ORDER = StageCatalog.discover().names();

  private static int rank(String stage) {
    int index = ORDER.indexOf(stage);
    return index < 0 ? ORDER.size() : index;
  }
}
