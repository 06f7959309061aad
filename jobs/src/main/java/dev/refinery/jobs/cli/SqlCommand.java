package dev.refinery.jobs.cli;

import dev.refinery.core.error.RefineryException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sql", description = "Run Spark SQL; the pipeline's tables resolve by name.")
public final class SqlCommand implements Callable<Integer> {
  /** Output formats of {@code refinery sql}. */
  public enum Format { TABLE, JSON, TSV }

  @Mixin ConfigOptions options;

  @Option(names = "--format", defaultValue = "table", description = "table, json (one object per line) or tsv.")
  String format;

  @Option(names = "--limit", defaultValue = "1000", description = "Rows shown in table format.")
  int limit;

  @Parameters(index = "0", paramLabel = "SQL")
  String sql;

  @Override
  public Integer call() {
    Format chosen;
    try {
      chosen = Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw RefineryException.userError("Invalid --format '%s': expected table, json or tsv", format);
    }
    try (Session session = new Session(options.load())) {
      session.lakehouse.registerViews();
      Dataset<Row> result;
      try {
        result = session.spark.sql(sql);
      } catch (RuntimeException e) {
        throw RefineryException.userError("Cannot run SQL: %s", firstLine(e.getMessage()));
      }
      print(result, chosen, limit, System.out);
    }
    return 0;
  }

  static void print(Dataset<Row> result, Format format, int limit, PrintStream out) {
    switch (format) {
      case JSON -> result.toJSON().toLocalIterator().forEachRemaining(out::println);
      case TSV -> {
        out.println(String.join("\t", result.columns()));
        Iterator<Row> rows = result.toLocalIterator();
        while (rows.hasNext()) {
          Row row = rows.next();
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < row.length(); i++) {
            cells.add(tsvCell(row.get(i)));
          }
          out.println(String.join("\t", cells));
        }
      }
      case TABLE -> {
        TextTable table = new TextTable(List.of(result.columns()));
        List<Row> rows = result.limit(limit + 1).collectAsList();
        rows.stream().limit(limit).forEach(row -> {
          List<Object> cells = new ArrayList<>();
          for (int i = 0; i < row.length(); i++) {
            cells.add(row.get(i));
          }
          table.add(cells);
        });
        table.print(out);
        if (rows.size() > limit) {
          out.println("(showing the first " + limit + " rows; use --limit or --format tsv for all)");
        }
      }
    }
  }

  private static String tsvCell(Object value) {
    if (value == null) {
      return "";
    }
    return Cells.format(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
