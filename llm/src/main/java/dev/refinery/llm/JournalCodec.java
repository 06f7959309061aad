package dev.refinery.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One row of a struct schema as one line of JSON, and back: the answer journal's format. Timestamps are epoch
 * milliseconds, doubles keep NaN (as the string {@code "NaN"}), arrays of structs nest. A line that does not
 * parse, such as the last one of a process killed while writing it, reads as {@code null}.
 */
final class JournalCodec implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StructType schema;

  JournalCodec(StructType schema) {
    this.schema = schema;
  }

  String toLine(Row row) {
    try {
      return JSON.writeValueAsString(toNode(row, schema));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a journal line: " + e.getMessage(), e);
    }
  }

  /** The row on {@code line}, or null when the line is not a complete row of the schema. */
  Row fromLine(String line) {
    try {
      JsonNode node = JSON.readTree(line);
      return node instanceof ObjectNode object ? toRow(object, schema) : null;
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private static ObjectNode toNode(Row row, StructType type) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    StructField[] fields = type.fields();
    for (int i = 0; i < fields.length; i++) {
      if (!row.isNullAt(i)) {
        node.set(fields[i].name(), toNode(row.get(i), fields[i].dataType()));
      }
    }
    return node;
  }

  private static JsonNode toNode(Object value, DataType type) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (type instanceof StructType struct) {
      return toNode((Row) value, struct);
    }
    if (type instanceof ArrayType array) {
      ArrayNode elements = nodes.arrayNode();
      Iterable<?> items = value instanceof scala.collection.Iterable<?> seq
          ? CollectionConverters.asJava(seq) : (Iterable<?>) value;
      for (Object item : items) {
        elements.add(item == null ? nodes.nullNode() : toNode(item, array.elementType()));
      }
      return elements;
    }
    if (type.equals(DataTypes.StringType)) {
      return nodes.textNode((String) value);
    }
    if (type.equals(DataTypes.IntegerType)) {
      return nodes.numberNode((Integer) value);
    }
    if (type.equals(DataTypes.LongType)) {
      return nodes.numberNode((Long) value);
    }
    if (type.equals(DataTypes.DoubleType)) {
      double number = (Double) value;
      return Double.isFinite(number) ? nodes.numberNode(number) : nodes.textNode(Double.toString(number));
    }
    if (type.equals(DataTypes.BooleanType)) {
      return nodes.booleanNode((Boolean) value);
    }
    if (type.equals(DataTypes.TimestampType)) {
      return nodes.numberNode(((java.sql.Timestamp) value).getTime());
    }
    throw new IllegalArgumentException("The answer journal cannot hold a " + type.simpleString());
  }

  private static Row toRow(ObjectNode node, StructType type) {
    StructField[] fields = type.fields();
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      JsonNode field = node.get(fields[i].name());
      boolean absent = field == null || field.isNull();
      if (absent && !fields[i].nullable()) {
        throw new IllegalArgumentException("missing " + fields[i].name());
      }
      values[i] = absent ? null : toValue(field, fields[i].dataType());
    }
    return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(values, type);
  }

  private static Object toValue(JsonNode node, DataType type) {
    if (type instanceof StructType struct) {
      return toRow((ObjectNode) node, struct);
    }
    if (type instanceof ArrayType array) {
      List<Object> items = new ArrayList<>(node.size());
      node.forEach(item -> items.add(item.isNull() ? null : toValue(item, array.elementType())));
      return CollectionConverters.asScala(items).toList();
    }
    if (type.equals(DataTypes.StringType)) {
      return requireType(node, node.isTextual()).textValue();
    }
    if (type.equals(DataTypes.IntegerType)) {
      return requireType(node, node.canConvertToInt()).intValue();
    }
    if (type.equals(DataTypes.LongType)) {
      return requireType(node, node.canConvertToLong()).longValue();
    }
    if (type.equals(DataTypes.DoubleType)) {
      return node.isTextual() ? Double.parseDouble(node.textValue()) : requireType(node, node.isNumber()).doubleValue();
    }
    if (type.equals(DataTypes.BooleanType)) {
      return requireType(node, node.isBoolean()).booleanValue();
    }
    if (type.equals(DataTypes.TimestampType)) {
      return new java.sql.Timestamp(requireType(node, node.canConvertToLong()).longValue());
    }
    throw new IllegalArgumentException("The answer journal cannot hold a " + type.simpleString());
  }

  private static JsonNode requireType(JsonNode node, boolean matches) {
    if (!matches) {
      throw new IllegalArgumentException("unexpected value " + node);
    }
    return node;
  }
}
