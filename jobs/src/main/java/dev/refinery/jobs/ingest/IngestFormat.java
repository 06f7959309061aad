package dev.refinery.jobs.ingest;

/** Input formats of the {@code ingest} stage ({@code ingest.format}). */
public enum IngestFormat {
  JSONL,
  TEXT,
  PARQUET,
  WARC
}
