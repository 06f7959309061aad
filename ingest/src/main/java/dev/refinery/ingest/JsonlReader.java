package dev.refinery.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * JSON Lines: one object per line. The text comes from {@code textField} (dots reach into nested
 * objects), the record id from {@code idField} (absent: the line number), and {@code meta} from the
 * listed fields or every other top-level scalar.
 */
final class JsonlReader implements RecordReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String idField;
  private final String textField;
  private final List<String> metaFields;
  private final long maxDocumentBytes;

  JsonlReader(String idField, String textField, List<String> metaFields, long maxDocumentBytes) {
    this.idField = idField;
    this.textField = textField;
    this.metaFields = metaFields;
    this.maxDocumentBytes = maxDocumentBytes;
  }

  @Override
  public void read(String file, InputStream in, Consumer<ParsedRecord> out) throws IOException {
    // A JSON line carries escapes and other fields; allow some headroom over the text limit.
    ByteLineReader lines = new ByteLineReader(in, maxDocumentBytes * 2 + 65_536);
    ByteLineReader.Line line;
    while ((line = lines.next()) != null) {
      String position = "line " + line.number();
      if (line.truncated()) {
        out.accept(ParsedRecord.rejected(file, line.number(), position,
            "document too large: line of " + line.length() + " bytes exceeds ingest.max-document-bytes",
            Utf8.lenient(line.bytes())));
        continue;
      }
      String decoded;
      try {
        decoded = Utf8.decode(line.bytes());
      } catch (Utf8.InvalidUtf8Exception e) {
        out.accept(ParsedRecord.rejected(file, line.number(), position,
            "invalid UTF-8 at byte " + (line.offset() + e.byteOffset) + " of the file", Utf8.lenient(line.bytes())));
        continue;
      }
      if (decoded.isBlank()) {
        continue; // blank lines separate nothing in JSONL; they are not records
      }
      out.accept(parse(file, line.number(), position, decoded));
    }
  }

  private ParsedRecord parse(String file, long number, String position, String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return ParsedRecord.rejected(file, number, position, "malformed JSON: " + e.getOriginalMessage(), line);
    }
    if (node == null || !node.isObject()) {
      return ParsedRecord.rejected(file, number, position, "not a JSON object", line);
    }
    JsonNode text = at(node, textField);
    if (text == null || text.isNull() || text.isMissingNode()) {
      return ParsedRecord.rejected(file, number, position, "missing text field '" + textField + "'", line);
    }
    if (!text.isTextual()) {
      return ParsedRecord.rejected(file, number, position,
          "text field '" + textField + "' is not a string but " + text.getNodeType().name().toLowerCase(), line);
    }
    String value = text.asText();
    if (value.isBlank()) {
      return ParsedRecord.rejected(file, number, position, "empty text", line);
    }
    if (Sizes.utf8Length(value) > maxDocumentBytes) {
      return ParsedRecord.rejected(file, number, position,
          "document too large: " + Sizes.utf8Length(value) + " bytes exceeds ingest.max-document-bytes", line);
    }
    JsonNode id = at(node, idField);
    String sourceId = id == null || id.isNull() || id.isMissingNode()
        ? "line-" + number
        : (id.isValueNode() ? id.asText() : id.toString());
    return ParsedRecord.document(file, number, position, sourceId, value, meta(node));
  }

  private Map<String, String> meta(JsonNode node) {
    Map<String, String> meta = new LinkedHashMap<>();
    if (metaFields.isEmpty()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!field.getKey().equals(textField) && !field.getKey().equals(idField) && field.getValue().isValueNode()
            && !field.getValue().isNull()) {
          meta.put(field.getKey(), field.getValue().asText());
        }
      }
    } else {
      for (String name : metaFields) {
        JsonNode value = at(node, name);
        if (value != null && !value.isMissingNode() && !value.isNull()) {
          meta.put(name, value.isValueNode() ? value.asText() : value.toString());
        }
      }
    }
    return meta;
  }

  private static JsonNode at(JsonNode node, String dottedPath) {
    JsonNode current = node;
    for (String part : dottedPath.split("\\.")) {
      if (current == null || !current.isObject()) {
        return null;
      }
      current = current.get(part);
    }
    return current;
  }
}
