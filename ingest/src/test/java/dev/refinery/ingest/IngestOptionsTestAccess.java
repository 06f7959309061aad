package dev.refinery.ingest;

/** Renders the allowed WARC types exactly as the error message does (a Set's order is unspecified). */
final class IngestOptionsTestAccess {
  private IngestOptionsTestAccess() {}

  static String warcTypes() {
    return IngestOptions.WARC_TYPES.toString();
  }
}
