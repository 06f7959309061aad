package dev.refinery.annotation.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.annotation.labels.Judgment;
import dev.refinery.annotation.labels.PreferenceLabel;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Rows of (item, rater, label): JSON lines, or CSV / TSV with a header row (by file extension, before any
 * {@code .gz}). The item is an existing pair_id. Field names are configurable.
 */
final class GenericReader {
  private final String source;
  private final LabelMapping labels;
  private final String itemField;
  private final String raterField;
  private final String labelField;
  private final String raterKind;
  private final long maxRecords;

  GenericReader(String source, LabelMapping labels, String itemField, String raterField, String labelField,
      String raterKind, long maxRecords) {
    this.source = source;
    this.labels = labels;
    this.itemField = itemField;
    this.raterField = raterField;
    this.labelField = labelField;
    this.raterKind = raterKind;
    this.maxRecords = maxRecords;
  }

  void read(Path file, ImportSink sink) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
    char delimiter = name.endsWith(".tsv") ? '\t' : ',';
    boolean delimited = name.endsWith(".csv") || name.endsWith(".tsv");
    try (BufferedReader reader = Sources.lines(file)) {
      List<String> header = null;
      String line;
      long number = 0;
      long records = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        if (delimited && header == null) {
          header = Csv.split(line, delimiter);
          continue;
        }
        if (maxRecords > 0 && records++ >= maxRecords) {
          break;
        }
        String position = "line " + number;
        String item;
        String rater;
        String raw;
        if (delimited) {
          List<String> cells = Csv.split(line, delimiter);
          if (cells.size() != header.size()) {
            sink.rejectLabel(file.toString(), position, "bad-csv-row: " + cells.size() + " cells, header has "
                + header.size(), Sources.truncate(line));
            continue;
          }
          item = cell(header, cells, itemField);
          rater = cell(header, cells, raterField);
          raw = cell(header, cells, labelField);
        } else {
          JsonNode node;
          try {
            node = Sources.JSON.readTree(line);
          } catch (IOException e) {
            sink.rejectLabel(file.toString(), position, "bad-json", Sources.truncate(line));
            continue;
          }
          item = Sources.text(node.get(itemField));
          rater = Sources.text(node.get(raterField));
          raw = Sources.text(node.get(labelField));
        }
        if (item == null || item.isBlank() || rater == null || rater.isBlank()) {
          sink.rejectLabel(file.toString(), position, "missing-field: " + itemField + " and " + raterField
              + " are required", Sources.truncate(line));
          continue;
        }
        Optional<PreferenceLabel> label = labels.map(raw);
        if (label.isEmpty()) {
          sink.rejectLabel(file.toString(), position, "unparseable-label: '" + raw + "'", Sources.truncate(line));
          continue;
        }
        String raterId = source + ":" + rater;
        sink.judgment(new Judgment(item, raterId, raterKind, raterId, label.get(), label.get().probabilityA(), "AB",
            raterKind.equals(Judgment.HUMAN) ? Judgment.HUMAN : "imported", null, null, null, raw, source));
      }
    }
  }

  private static String cell(List<String> header, List<String> cells, String field) {
    int index = header.indexOf(field);
    return index < 0 ? null : cells.get(index);
  }

  /** RFC 4180 fields on one line: quotes around fields, doubled quotes inside them. */
  static final class Csv {
    private Csv() {}

    static List<String> split(String line, char delimiter) {
      List<String> cells = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            cell.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == delimiter) {
          cells.add(cell.toString());
          cell.setLength(0);
        } else {
          cell.append(c);
        }
      }
      cells.add(cell.toString());
      return cells;
    }
  }
}
