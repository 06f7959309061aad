package dev.refinery.jobs.cli;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.table.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = "Show a table's Delta history (versions, operations, metrics).")
public final class HistoryCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Parameters(index = "0", paramLabel = "TABLE", description = "Table name (e.g. raw_documents).")
  String table;

  @Override
  public Integer call() {
    try (Session session = new Session(options.load())) {
      String logical = Tables.ALL.stream()
          .filter(t -> t.equals(table) || session.lakehouse.name(t).equals(table))
          .findFirst()
          .orElseThrow(() -> dev.refinery.core.error.RefineryException.userError(
              "Unknown table '%s': tables are %s", table, String.join(", ", Tables.ALL)));
      List<Row> rows = session.lakehouse.history(logical)
          .select(col("version"), col("timestamp").cast("string"), col("operation"),
              col("operationParameters").cast("string"), col("operationMetrics").cast("string"))
          .orderBy(col("version").desc())
          .collectAsList();
      TextTable out = new TextTable(List.of("version", "timestamp", "operation", "parameters", "metrics"));
      for (Row row : rows) {
        List<Object> cells = new ArrayList<>();
        for (int i = 0; i < row.length(); i++) {
          cells.add(row.get(i));
        }
        out.add(cells);
      }
      out.print(System.out);
    }
    return 0;
  }
}
