package dev.refinery.core.text;

import dev.refinery.core.error.Preconditions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The UTF-8 byte-order mark ({@code EF BB BF}, U+FEFF) that Windows tools put at the start of text files. It
 * is not part of the first record: every line- or record-oriented reader drops it, as Spark's JSON reader and
 * Python's {@code utf-8-sig} do. Only a leading mark is dropped; U+FEFF inside the text is left alone.
 */
public final class ByteOrderMark {
  public static final char CHARACTER = '\uFEFF';
  private static final int[] UTF8 = {0xEF, 0xBB, 0xBF};

  private ByteOrderMark() {}

  /**
   * Skips a UTF-8 byte-order mark at the stream's current position, if there is one, and returns the number
   * of bytes skipped (0 or 3), so that callers reporting byte offsets can keep them true to the file.
   */
  public static int skip(InputStream in) throws IOException {
    Preconditions.checkState(in.markSupported(), "Cannot skip a byte-order mark: the stream does not support mark");
    in.mark(UTF8.length);
    for (int expected : UTF8) {
      if (in.read() != expected) {
        in.reset();
        return 0;
      }
    }
    return UTF8.length;
  }

  /** The text without a leading U+FEFF. */
  public static String strip(String text) {
    return text != null && !text.isEmpty() && text.charAt(0) == CHARACTER ? text.substring(1) : text;
  }

  /** A UTF-8 line reader over the stream that drops a leading byte-order mark. */
  public static BufferedReader utf8Lines(InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    reader.mark(1);
    if (reader.read() != CHARACTER) {
      reader.reset();
    }
    return reader;
  }
}
