package dev.refinery.core.stage;

/**
 * One arrow of the pipeline: its declaration ({@link StageSpec}) and its logic.
 *
 * <p>The stage writes only its own logic. {@link StageRunner} gives it its inputs at their captured versions
 * and write handles for its declared outputs only, counts rows in, out and quarantined itself, checks that
 * {@code rowsIn = rowsOut + dropped + quarantined}, and on any failure restores the outputs to the versions
 * they had at the start. A stage's writes are MERGEs on deterministic keys or whole-table overwrites, so
 * running it twice leaves the same rows. Options are parsed and validated when its {@link StageProvider}
 * creates it, so a config error fails at start-up.
 */
public interface Stage {
  StageSpec spec();

  /**
   * Runs the stage. The result carries the drop reasons and metrics; rows in and out are read only where the
   * spec says the stage reports them ({@link RowsIn.ReportedByStage}, {@link RowsOut.ReportedByStage}).
   */
  StageResult run(StageContext context);

  default String name() {
    return spec().name();
  }
}
