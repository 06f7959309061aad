package dev.refinery.ingest;

/** How plain-text files become documents ({@code ingest.text.mode}). */
public enum TextMode {
  PER_FILE,
  PER_LINE
}
