package dev.refinery.jobs.report;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Equal-width bins of numeric columns, counted per group, computed in Spark (one pass for the ranges, one for the
 * counts, whatever the number of columns) so that only the bins reach the driver. Null and NaN values are left
 * out; a null group is "none".
 */
final class Histograms {
  private Histograms() {}

  /** The bins over [min, max] of {@code value}; empty when no row has a value. */
  static List<Charts.Bin> bins(Dataset<Row> rows, Column value, Column group, int binCount) {
    return binsPerColumn(rows, Map.of("value", value), group, binCount).get("value");
  }

  /**
   * {@link #bins} of several columns over the same rows in two Spark jobs in all (one for the ranges, one for
   * the counts), instead of two per column. Keys are the names of {@code values}; a column without any value
   * maps to an empty list.
   */
  static Map<String, List<Charts.Bin>> binsPerColumn(Dataset<Row> rows, Map<String, Column> values, Column group,
      int binCount) {
    List<String> names = new ArrayList<>(values.keySet());
    List<Column> cleaned = new ArrayList<>();
    for (String name : names) {
      Column v = values.get(name).cast("double");
      cleaned.add(when(v.isNaN(), lit(null).cast("double")).otherwise(v).as("v" + cleaned.size()));
    }
    cleaned.add(group.cast("string").as("g"));
    Dataset<Row> table = rows.select(cleaned.toArray(Column[]::new));
    List<Column> ranges = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      ranges.add(min("v" + i));
      ranges.add(max("v" + i));
    }
    Row range = table.agg(ranges.get(0), ranges.subList(1, ranges.size()).toArray(Column[]::new)).head();
    double[] lo = new double[names.size()];
    double[] width = new double[names.size()];
    List<Column> binned = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (range.isNullAt(2 * i)) {
        continue;
      }
      lo[i] = range.getDouble(2 * i);
      double hi = range.getDouble(2 * i + 1);
      width[i] = hi > lo[i] ? (hi - lo[i]) / binCount : 1;
      Column bin = least(lit(binCount - 1), floor(col("v" + i).minus(lo[i]).divide(width[i])).cast("int"));
      binned.add(struct(lit(i).as("column"), bin.as("bin")));
    }
    Map<String, Map<Integer, Map<String, Long>>> counts = new LinkedHashMap<>();
    names.forEach(name -> counts.put(name, new TreeMap<>()));
    if (!binned.isEmpty()) {
      List<Row> rowsOut = table.select(explode(array(binned.toArray(Column[]::new))).as("b"), col("g"))
          .where(col("b.bin").isNotNull())
          .groupBy(col("b.column"), col("b.bin"), col("g")).count().collectAsList();
      for (Row row : rowsOut) {
        String name = row.isNullAt(2) ? "none" : row.getString(2);
        counts.get(names.get(row.getInt(0))).computeIfAbsent(row.getInt(1), k -> new LinkedHashMap<>())
            .merge(name, row.getLong(3), Long::sum);
      }
    }
    Map<String, List<Charts.Bin>> result = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      int column = i;
      List<Charts.Bin> bins = new ArrayList<>();
      counts.get(names.get(i)).forEach((bin, c) -> bins.add(
          new Charts.Bin(lo[column] + bin * width[column], lo[column] + (bin + 1) * width[column], c)));
      result.put(names.get(i), bins);
    }
    return result;
  }

  /** The groups of {@code bins}, those named in {@code preferred} first and in that order. */
  static List<String> orderedGroups(List<Charts.Bin> bins, List<String> preferred) {
    List<String> present = Charts.groupsOf(bins);
    List<String> groups = new ArrayList<>(preferred);
    groups.retainAll(present);
    present.stream().filter(g -> !groups.contains(g)).forEach(groups::add);
    return groups;
  }
}
