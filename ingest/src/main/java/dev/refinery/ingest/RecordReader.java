package dev.refinery.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/** Reads one input file's records. Implementations never throw on bad records: they emit rejects. */
interface RecordReader {
  void read(String file, InputStream in, Consumer<ParsedRecord> out) throws IOException;
}
