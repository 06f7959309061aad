package dev.refinery.jobs;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * The pipeline driver: resolves stage names to stages (validating all their options first), then runs
 * them in pipeline order under one run id, stopping at the first failure.
 */
public final class Pipeline {
  private final SparkSession spark;
  private final RefineryConfig config;
  private final Lakehouse lakehouse;
  private final StageCatalog catalog;

  public Pipeline(SparkSession spark, RefineryConfig config, Lakehouse lakehouse, StageCatalog catalog) {
    this.spark = spark;
    this.config = config;
    this.lakehouse = lakehouse;
    this.catalog = catalog;
  }

  /** Runs the named stages ({@code all} for every one); {@code onDone} sees each stage's record. */
  public List<PipelineRun> run(List<String> stageNames, Consumer<PipelineRun> onDone) {
    List<Stage> stages = catalog.resolve(stageNames, config);
    StageRunner runner = new StageRunner(spark, config, lakehouse, runId(config));
    List<PipelineRun> runs = new ArrayList<>();
    for (Stage stage : stages) {
      PipelineRun run = runner.run(stage);
      runs.add(run);
      onDone.accept(run);
    }
    return runs;
  }

  static String runId(RefineryConfig config) {
    return config.getOptionalString("run-id").orElseGet(() ->
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")) + "-"
            + UUID.randomUUID().toString().substring(0, 6));
  }
}
