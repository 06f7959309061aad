package dev.refinery.jobs.cli;

import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.stage.StageGraph;
import dev.refinery.core.stage.StageSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The stages on the classpath in pipeline order, from their declarations alone: no config, no Spark. */
@Command(name = "stages", description = "List the available stages in pipeline order with their tables.")
public final class StagesCommand implements Callable<Integer> {
  /** Accepted like every subcommand's, but unused: specs never depend on config. */
  @Mixin ConfigOptions options;

  @Option(names = "--json", description = "Print the stage graph as JSON (what the Airflow DAG reads).")
  boolean json;

  @Option(names = "--out", description = "With --json: write the graph to this file instead of stdout.")
  java.nio.file.Path out;

  @Override
  public Integer call() throws java.io.IOException {
    StageGraph graph = StageCatalog.discover().graph();
    if (json && out != null) {
      java.nio.file.Files.writeString(out, graph.toJson());
      return 0;
    }
    if (json) {
      System.out.print(graph.toJson());
      return 0;
    }
    TextTable table = new TextTable(List.of("stage", "reads", "writes", "after", "description"));
    for (String name : graph.order()) {
      StageSpec spec = graph.spec(name);
      List<String> reads = new ArrayList<>(spec.requiredInputs());
      spec.optionalInputs().forEach(t -> reads.add(t + "?"));
      table.add(List.of(name, String.join(", ", reads), String.join(", ", spec.outputs()),
          String.join(", ", new java.util.TreeSet<>(graph.upstream(name))), spec.description()));
    }
    table.print(System.out);
    return 0;
  }
}
