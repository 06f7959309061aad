package dev.refinery.jobs.cli;

import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageCatalog;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "stages", description = "List the available stages in pipeline order with their tables.")
public final class StagesCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() {
    StageCatalog catalog = StageCatalog.discover();
    TextTable table = new TextTable(List.of("stage", "reads", "writes", "description"));
    for (Stage stage : catalog.resolve(List.of("all"), options.load())) {
      List<String> reads = new java.util.ArrayList<>(stage.inputs());
      stage.optionalInputs().forEach(t -> reads.add(t + "?"));
      table.add(List.of(stage.name(), String.join(", ", reads), String.join(", ", stage.outputs()),
          stage.description()));
    }
    table.print(System.out);
    return 0;
  }
}
