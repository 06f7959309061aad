package dev.refinery.core.stage;

import java.time.Instant;
import java.util.Map;

/** One {@code pipeline_runs} row: what a stage run read, wrote, counted, and how it ended. */
public record PipelineRun(
    String runId,
    String stage,
    Status status,
    String configHash,
    Map<String, Long> inputVersions,
    Map<String, Long> outputVersions,
    StageResult result,
    Instant startedAt,
    long durationMillis,
    String error) {

  public enum Status { SUCCEEDED, FAILED }

  public PipelineRun {
    inputVersions = Map.copyOf(inputVersions);
    outputVersions = Map.copyOf(outputVersions);
  }
}
