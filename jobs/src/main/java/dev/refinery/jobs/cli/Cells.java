package dev.refinery.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/** Renders Spark values (Scala maps and sequences, structs) readably for table and TSV output. */
final class Cells {
  private Cells() {}

  static String format(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      List<String> entries = new ArrayList<>();
      CollectionConverters.asJava(map).forEach((k, v) -> entries.add(format(k) + ": " + format(v)));
      return "{" + String.join(", ", entries) + "}";
    }
    if (value instanceof scala.collection.Iterable<?> seq) {
      List<String> items = new ArrayList<>();
      CollectionConverters.asJava(seq).forEach(item -> items.add(format(item)));
      return "[" + String.join(", ", items) + "]";
    }
    if (value instanceof Row row) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        fields.add(format(row.get(i)));
      }
      return "(" + String.join(", ", fields) + ")";
    }
    return String.valueOf(value);
  }
}
