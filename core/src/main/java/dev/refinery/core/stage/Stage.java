package dev.refinery.core.stage;

import java.util.List;

/**
 * One arrow of the pipeline: reads named Delta tables, writes named Delta tables, and reports its counts.
 *
 * <p>Contract (checked by {@link StageRunner}): outputs are keyed by deterministic ids and written with
 * MERGE or whole-table overwrite, so running a stage twice leaves the same rows; and
 * {@code rowsIn = rowsOut + sum(dropped) + quarantined} for every run. Options are parsed and validated
 * when the stage is created by its {@link StageProvider}, so a config error fails at start-up.
 */
public interface Stage {
  /** The stage name used on the command line, e.g. {@code ingest}, {@code dedup-minhash}. */
  String name();

  /** Tables that must exist before the stage runs; read at the version captured at the run's start. */
  List<String> inputs();

  /** Tables read when present (e.g. scores used to pick representatives). */
  default List<String> optionalInputs() {
    return List.of();
  }

  /** Tables the stage writes (besides {@code quarantine} and {@code pipeline_runs}). */
  List<String> outputs();

  /** Config sections whose values change this stage's output; hashed into {@code pipeline_runs}. */
  List<String> configSections();

  /** A one-line description shown in the Spark UI's job group and in {@code refinery stages}. */
  String description();

  StageResult run(StageContext context);
}
