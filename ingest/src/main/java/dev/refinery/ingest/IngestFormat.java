package dev.refinery.ingest;

/** Input formats of the {@code ingest} stage ({@code ingest.format}). */
public enum IngestFormat {
  JSONL,
  TEXT,
  PARQUET,
  WARC
}
