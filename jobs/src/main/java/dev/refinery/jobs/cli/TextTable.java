package dev.refinery.jobs.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned plain-text tables for terminal output. */
final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(List<String> header) {
    this.header = header;
  }

  TextTable add(List<?> row) {
    rows.add(row.stream().map(Cells::format).toList());
    return this;
  }

  void print(PrintStream out) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], Math.min(row.get(i).length(), 120));
      }
    }
    out.println(line(header, widths));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
    }
    out.println(rule);
    rows.forEach(row -> out.println(line(row, widths)));
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i).replace('\n', ' ');
      if (cell.length() > 120) {
        cell = cell.substring(0, 117) + "...";
      }
      line.append(i == 0 ? "" : "  ").append(cell).append(" ".repeat(Math.max(0, widths[i] - cell.length())));
    }
    return line.toString().stripTrailing();
  }
}
