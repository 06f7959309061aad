package dev.refinery.core.stage;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.table.Lakehouse;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What a running stage is given: the session, config, tables, and its run's identity. */
public interface StageContext {
  SparkSession spark();

  RefineryConfig config();

  String runId();

  String stageName();

  /** The stage's declaration. */
  StageSpec spec();

  /**
   * The rows the stage works on: its declared input through its candidate filter ({@link RowsIn.FromTable}),
   * the same rows the runner counts as rows in.
   */
  Dataset<Row> candidates();

  /**
   * The tables, with write handles for the stage's declared outputs only (and {@code quarantine}, and
   * {@code llm_calls} for a stage that uses the LLM).
   */
  Lakehouse lakehouse();

  /** Reads an input table at the version captured when the run started (a consistent snapshot). */
  Dataset<Row> read(String table);

  /** Versions of the inputs, captured at the run's start; recorded in {@code pipeline_runs}. */
  Map<String, Long> inputVersions();

  /**
   * Sends rows to {@code quarantine}. {@code rows} must have string columns {@code source},
   * {@code position}, {@code reason} and {@code raw}; the stage name, run id and key are added here.
   */
  void quarantine(Dataset<Row> rows);

  /**
   * A component built from config by a {@link ComponentFactory} found on the classpath (an LLM client
   * factory, an embedder factory): stage code asks for contracts, never constructs clients itself.
   */
  <T> T component(Class<T> type);
}
