package dev.refinery.ingest;

import java.util.Map;

/**
 * One record read from an input file: a document, a rejected row bound for quarantine (error set), or a
 * record skipped for a reason that is not a fault of the data (dropReason set, e.g. a non-text WARC
 * response). {@code ordinal} orders records within a file (line or record number).
 */
public record ParsedRecord(
    String file,
    long ordinal,
    String position,
    String sourceId,
    String text,
    Map<String, String> meta,
    String error,
    String dropReason,
    String raw) {

  public static ParsedRecord document(String file, long ordinal, String position, String sourceId, String text,
      Map<String, String> meta) {
    return new ParsedRecord(file, ordinal, position, sourceId, text, meta, null, null, null);
  }

  public static ParsedRecord rejected(String file, long ordinal, String position, String error, String raw) {
    return new ParsedRecord(file, ordinal, position, null, null, Map.of(), error, null, raw);
  }

  public static ParsedRecord skipped(String file, long ordinal, String position, String reason) {
    return new ParsedRecord(file, ordinal, position, null, null, Map.of(), null, reason, null);
  }
}
