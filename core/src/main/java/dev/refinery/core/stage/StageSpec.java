package dev.refinery.core.stage;

import dev.refinery.core.error.Preconditions;
import java.util.ArrayList;
import java.util.List;

/**
 * A stage declared as data: what it reads, what it writes, which config it depends on and how the runner
 * counts its rows. The pipeline order, {@code refinery stages --json}, the Airflow DAG and the report are all
 * derived from these declarations ({@link StageGraph}); a spec never depends on config values, so it can be
 * listed without validating any option.
 *
 * @param name the name used on the command line, e.g. {@code dedup-minhash}
 * @param requiredInputs tables that must exist before the stage runs; read at the version captured at its start
 * @param optionalInputs tables read when present (e.g. scores used to pick representatives)
 * @param outputs tables the stage may write, besides {@code quarantine} and {@code pipeline_runs}; writing any
 *     other table fails
 * @param configSections config sub-trees that change the stage's output, hashed into {@code pipeline_runs}
 * @param usesLlm whether the stage calls the configured LLM: the model's identity joins the config hash
 * @param description one line, shown in the Spark UI's job group and in {@code refinery stages}
 * @param rowsIn how the runner counts rows in
 * @param rowsOut how the runner counts rows out
 */
public record StageSpec(
    String name,
    List<String> requiredInputs,
    List<String> optionalInputs,
    List<String> outputs,
    List<String> configSections,
    boolean usesLlm,
    String description,
    RowsIn rowsIn,
    RowsOut rowsOut) {

  public StageSpec {
    Preconditions.checkArgument(name != null && name.matches("[a-z][a-z0-9-]*"), "Invalid stage name: %s", name);
    requiredInputs = List.copyOf(requiredInputs);
    optionalInputs = List.copyOf(optionalInputs);
    outputs = List.copyOf(outputs);
    configSections = List.copyOf(configSections);
    Preconditions.checkArgument(!outputs.isEmpty(), "Invalid stage %s: it declares no output table", name);
    if (rowsIn instanceof RowsIn.FromTable fromTable) {
      Preconditions.checkArgument(
          requiredInputs.contains(fromTable.table()) || optionalInputs.contains(fromTable.table()),
          "Invalid stage %s: rows in are counted from %s, which is not one of its inputs", name, fromTable.table());
    }
    if (rowsOut instanceof RowsOut.CommittedTo committed) {
      Preconditions.checkArgument(outputs.contains(committed.table()),
          "Invalid stage %s: rows out are counted from %s, which is not one of its outputs", name, committed.table());
    }
  }

  /** Required then optional inputs. */
  public List<String> inputs() {
    List<String> all = new ArrayList<>(requiredInputs);
    all.addAll(optionalInputs);
    return List.copyOf(all);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a spec; rows in and out default to what the stage reports, so declare table counts where they exist. */
  public static final class Builder {
    private final String name;
    private final List<String> requiredInputs = new ArrayList<>();
    private final List<String> optionalInputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final List<String> configSections = new ArrayList<>();
    private boolean usesLlm;
    private String description = "";
    private RowsIn rowsIn = RowsIn.reportedByStage();
    private RowsOut rowsOut = RowsOut.reportedByStage();

    private Builder(String name) {
      this.name = name;
    }

    public Builder reads(String... tables) {
      requiredInputs.addAll(List.of(tables));
      return this;
    }

    public Builder readsIfPresent(String... tables) {
      optionalInputs.addAll(List.of(tables));
      return this;
    }

    public Builder writes(String... tables) {
      outputs.addAll(List.of(tables));
      return this;
    }

    public Builder config(String... sections) {
      configSections.addAll(List.of(sections));
      return this;
    }

    public Builder usesLlm() {
      usesLlm = true;
      return this;
    }

    public Builder description(String text) {
      description = text;
      return this;
    }

    public Builder rowsIn(RowsIn counting) {
      rowsIn = counting;
      return this;
    }

    public Builder rowsOut(RowsOut counting) {
      rowsOut = counting;
      return this;
    }

    public StageSpec build() {
      return new StageSpec(name, requiredInputs, optionalInputs, outputs, configSections, usesLlm, description,
          rowsIn, rowsOut);
    }
  }
}
