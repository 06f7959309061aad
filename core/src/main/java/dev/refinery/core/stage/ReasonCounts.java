package dev.refinery.core.stage;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The shared half of "filters return a reason": a stage tags each row with a nullable reason column
 * (null = kept) and this class counts rows per reason in one Spark pass, so no stage hand-writes its own
 * counting code.
 */
public final class ReasonCounts {
  public static final String KEPT = "";

  private ReasonCounts() {}

  /** Counts per value of {@code reasonColumn}; kept rows (null reason) are counted under {@link #KEPT}. */
  public static Map<String, Long> count(Dataset<Row> rows, String reasonColumn) {
    Map<String, Long> counts = new TreeMap<>();
    for (Row row : rows.groupBy(coalesce(col(reasonColumn), lit(KEPT)).as("reason")).count().collectAsList()) {
      counts.put(row.getString(0), row.getLong(1));
    }
    return counts;
  }

  /** Fills a result builder from {@link #count}: kept rows become rows out, the rest drops by reason. */
  public static StageResult.Builder toResult(Map<String, Long> counts, StageResult.Builder builder) {
    long in = 0;
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      in += entry.getValue();
      if (entry.getKey().equals(KEPT)) {
        builder.rowsOut(entry.getValue());
      } else {
        builder.dropped(entry.getKey(), entry.getValue());
      }
    }
    return builder.rowsIn(in);
  }
}
