package dev.refinery.jobs.cli;

import dev.refinery.core.table.Tables;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "tables", description = "List every table with its location, current version and row count.")
public final class TablesCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() {
    try (Session session = new Session(options.load())) {
      System.out.println("Lakehouse: " + session.lakehouse.root());
      TextTable table = new TextTable(List.of("table", "version", "rows", "location"));
      int found = 0;
      for (String name : Tables.ALL) {
        OptionalLong version = session.lakehouse.version(name);
        if (version.isPresent()) {
          found++;
          long rows = session.lakehouse.read(name).count();
          table.add(List.of(session.lakehouse.name(name), version.getAsLong(), rows, session.lakehouse.location(name)));
        }
      }
      table.print(System.out);
      if (found == 0) {
        System.out.println("(no tables yet: run `bin/refinery demo` or `bin/refinery run ingest`)");
      }
    }
    return 0;
  }
}
