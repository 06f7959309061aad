package dev.refinery.filtering.decontamination;

import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.refinery.core.error.RefineryException;
import dev.refinery.filtering.decontamination.DecontaminateOptions.EvalSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one eval set into items: {@code eval_set}, {@code eval_item_id}, {@code texts} (one string per text
 * field, null where the record has none). JSONL files may be gzipped ({@code .gz}); a malformed line fails the
 * read. Without an id field an item's id is its 1-based record number, in file order (blank lines do not
 * count), so an id points back at the line it came from; a record whose id field is null gets its number too.
 */
final class EvalSetReader {
  static final StructType ITEMS = new StructType()
      .add("eval_set", StringType, false)
      .add("eval_item_id", StringType, false)
      .add("texts", createArrayType(StringType, true), false);

  private EvalSetReader() {}

  static Dataset<Row> read(SparkSession spark, EvalSet set) {
    Dataset<Row> records;
    try {
      records = switch (set.format()) {
        case JSONL -> spark.read().option("mode", "FAILFAST").json(set.path());
        case PARQUET -> spark.read().parquet(set.path());
      };
    } catch (RuntimeException e) {
      throw RefineryException.userError("Cannot read eval set %s from %s: %s", set.name(), set.path(), e.getMessage());
    }
    List<String> fields = Arrays.asList(records.columns());
    List<String> needed = new ArrayList<>(set.textFields());
    set.idField().ifPresent(needed::add);
    for (String field : needed) {
      if (!fields.contains(field)) {
        throw RefineryException.userError(
            "Cannot read eval set %s: field '%s' is not in %s (fields: %s); set the eval set's id-field or text-fields",
            set.name(), field, set.path(), fields);
      }
    }
    List<Column> columns = new ArrayList<>();
    columns.add(set.idField().map(f -> functions.col(f).cast("string")).orElse(functions.lit(null).cast("string")));
    for (String field : set.textFields()) {
      columns.add(functions.col(field).cast("string"));
    }
    int texts = set.textFields().size();
    String name = set.name();
    // zipWithIndex numbers records in partition order, which is file order.
    JavaRDD<Row> items = records.select(columns.toArray(Column[]::new)).javaRDD().zipWithIndex().map(indexed -> {
      Row record = indexed._1();
      String id = record.isNullAt(0) ? String.valueOf(indexed._2() + 1) : record.getString(0);
      String[] values = new String[texts];
      for (int i = 0; i < texts; i++) {
        values[i] = record.getString(i + 1);
      }
      return RowFactory.create(name, id, values);
    });
    try {
      return spark.createDataFrame(items, ITEMS);
    } catch (RuntimeException e) {
      throw RefineryException.userError("Cannot read eval set %s from %s: %s", set.name(), set.path(), e.getMessage());
    }
  }
}
