package dev.refinery.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * The run report: what the stages did (the funnel from {@code pipeline_runs}: each stage's latest run, or the
 * stages of one run) and what the lakehouse holds now (document quality, perplexity, dedup, agreement, training).
 * Sections whose tables do not exist yet say so instead of failing, so the report works at every point of the
 * pipeline.
 * Render with {@link HtmlReport}.
 *
 * @param runId the run chosen with {@code --run}; empty when the funnel shows each stage's latest run
 * @param funnelRuns the run ids of the funnel's rows, latest first; empty when pipeline_runs has no rows yet
 */
public record RunReport(Optional<String> runId, List<String> funnelRuns, String lakehouseRoot, Instant generatedAt,
    List<ReportSection> sections) {
  public RunReport {
    funnelRuns = List.copyOf(funnelRuns);
    sections = List.copyOf(sections);
  }

  /**
   * Collects the report of run {@code runId}, or, when empty, of each stage's latest run (by start time), so a
   * rerun of one stage under a new run id leaves the other stages in the funnel.
   *
   * @throws RefineryException (user error) when {@code runId} is given but has no pipeline_runs rows
   */
  public static RunReport collect(SparkSession spark, Lakehouse lakehouse, Optional<String> runId) {
    List<Row> runs = runId.isPresent() ? runsOf(lakehouse, runId.get()) : latestRunOfEachStage(lakehouse);
    if (runId.isPresent() && runs.isEmpty()) {
      throw RefineryException.userError("Cannot report run '%s': pipeline_runs has no rows for it%s", runId.get(),
          latestRun(lakehouse).map(l -> " (latest run: " + l + ")").orElse(""));
    }
    List<String> funnelRuns = runs.stream()
        .sorted(Comparator.comparing((Row r) -> r.<Timestamp>getAs("started_at")).reversed())
        .map(r -> r.<String>getAs("run_id")).distinct().toList();
    ReportInput input = new ReportInput(spark, lakehouse, runId, runs);
    List<ReportSection> sections = new ArrayList<>();
    sections.add(safely(FunnelSection.ID, FunnelSection.TITLE, FunnelSection::build, input));
    sections.add(safely(QualitySection.ID, QualitySection.TITLE, QualitySection::build, input));
    sections.add(safely(PerplexitySection.ID, PerplexitySection.TITLE, PerplexitySection::build, input));
    sections.add(safely(DedupSection.ID, DedupSection.TITLE, DedupSection::build, input));
    sections.add(safely(AgreementSection.ID, AgreementSection.TITLE, AgreementSection::build, input));
    sections.add(safely(TrainingSection.ID, TrainingSection.TITLE, TrainingSection::build, input));
    return new RunReport(runId, funnelRuns, lakehouse.root(), Instant.now(), sections);
  }

  /** What the funnel shows, for the page header and the command's output. */
  public String describe() {
    if (runId.isPresent() || funnelRuns.size() == 1) {
      return "run " + runId.orElse(funnelRuns.get(0));
    }
    return funnelRuns.isEmpty() ? "(no runs yet)"
        : "the latest run of each stage (runs " + String.join(", ", funnelRuns) + ")";
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
    return inPipelineOrder(lakehouse.read(Tables.PIPELINE_RUNS).where(col("run_id").equalTo(runId))
        .collectAsList());
  }

  /** Per stage, its pipeline_runs row with the latest start (ties: the greater run id), in pipeline order. */
  static List<Row> latestRunOfEachStage(Lakehouse lakehouse) {
    if (!lakehouse.exists(Tables.PIPELINE_RUNS)) {
      return List.of();
    }
    var latestFirst = Window.partitionBy("stage").orderBy(col("started_at").desc(), col("run_id").desc());
    return inPipelineOrder(lakehouse.read(Tables.PIPELINE_RUNS).withColumn("rank", row_number().over(latestFirst))
        .where(col("rank").equalTo(1)).drop("rank").collectAsList());
  }

  private static List<Row> inPipelineOrder(List<Row> collected) {
    List<Row> rows = new ArrayList<>(collected);
    rows.sort(Comparator.comparingInt((Row r) -> rank(r.getAs("stage"))).thenComparing(r -> r.<String>getAs("stage")));
    return rows;
  }

  private static final List<String> ORDER = StageCatalog.discover().names();

  private static int rank(String stage) {
    int index = ORDER.indexOf(stage);
    return index < 0 ? ORDER.size() : index;
  }
}
