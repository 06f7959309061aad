package dev.refinery.ingest;

import dev.refinery.core.text.ByteOrderMark;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Consumer;

/** Plain UTF-8 text: one document per file, or one per non-blank line; a leading byte-order mark is dropped. */
final class TextReader implements RecordReader {
  private final TextMode mode;
  private final long maxDocumentBytes;

  TextReader(TextMode mode, long maxDocumentBytes) {
    this.mode = mode;
    this.maxDocumentBytes = maxDocumentBytes;
  }

  @Override
  public void read(String file, InputStream in, Consumer<ParsedRecord> out) throws IOException {
    if (mode == TextMode.PER_LINE) {
      readLines(file, in, out);
    } else {
      readWhole(file, in, out);
    }
  }

  private void readWhole(String file, InputStream in, Consumer<ParsedRecord> out) throws IOException {
    InputStream markable = in.markSupported() ? in : new BufferedInputStream(in, 1 << 16);
    int bom = ByteOrderMark.skip(markable);
    byte[] bytes = markable.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxDocumentBytes + 1));
    String position = "file";
    if (bytes.length > maxDocumentBytes) {
      out.accept(ParsedRecord.rejected(file, 0, position,
          "document too large: file exceeds ingest.max-document-bytes (" + maxDocumentBytes + " bytes)",
          Utf8.lenient(java.util.Arrays.copyOf(bytes, 4096))));
      return;
    }
    try {
      String text = Utf8.decode(bytes);
      if (text.isBlank()) {
        out.accept(ParsedRecord.rejected(file, 0, position, "empty text", text));
      } else {
        out.accept(ParsedRecord.document(file, 0, position, baseName(file), text, Map.of()));
      }
    } catch (Utf8.InvalidUtf8Exception e) {
      out.accept(ParsedRecord.rejected(file, 0, position,
          "invalid UTF-8 at byte " + (bom + e.byteOffset) + " of the file", Utf8.lenient(bytes)));
    }
  }

  private void readLines(String file, InputStream in, Consumer<ParsedRecord> out) throws IOException {
    ByteLineReader lines = new ByteLineReader(in, maxDocumentBytes);
    ByteLineReader.Line line;
    while ((line = lines.next()) != null) {
      String position = "line " + line.number();
      if (line.truncated()) {
        out.accept(ParsedRecord.rejected(file, line.number(), position,
            "document too large: line of " + line.length() + " bytes exceeds ingest.max-document-bytes",
            Utf8.lenient(line.bytes())));
        continue;
      }
      try {
        String text = Utf8.decode(line.bytes());
        if (!text.isBlank()) {
          out.accept(ParsedRecord.document(file, line.number(), position, "line-" + line.number(), text, Map.of()));
        }
      } catch (Utf8.InvalidUtf8Exception e) {
        out.accept(ParsedRecord.rejected(file, line.number(), position,
            "invalid UTF-8 at byte " + (line.offset() + e.byteOffset) + " of the file", Utf8.lenient(line.bytes())));
      }
    }
  }

  static String baseName(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? file : file.substring(slash + 1);
  }
}
