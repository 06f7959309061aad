package dev.refinery.ingest;

import dev.refinery.core.text.ByteOrderMark;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines without decoding, so invalid UTF-8 can be reported per line with its
 * byte offset. Lines longer than {@code maxLineBytes} are consumed but not buffered: the caller learns the
 * line was too long without holding it in memory. A UTF-8 byte-order mark at the start is not part of line 1.
 */
final class ByteLineReader {
  /** A line's bytes (without the terminator), its 1-based number and starting byte offset. */
  record Line(byte[] bytes, long number, long offset, boolean truncated, long length) {}

  private final InputStream in;
  private final int maxLineBytes;
  private long offset;
  private long number;

  /** Reads from the stream's start: a leading UTF-8 byte-order mark is skipped (offsets still count it). */
  ByteLineReader(InputStream in, long maxLineBytes) throws IOException {
    this.in = in.markSupported() ? in : new BufferedInputStream(in, 1 << 16);
    this.maxLineBytes = (int) Math.min(Integer.MAX_VALUE - 16, maxLineBytes);
    this.offset = ByteOrderMark.skip(this.in);
  }

  /** The next line, or null at end of stream. */
  Line next() throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    long start = offset;
    long length = 0;
    boolean truncated = false;
    int b;
    while ((b = in.read()) != -1) {
      offset++;
      if (b == '\n') {
        number++;
        return new Line(stripCr(buffer, truncated), number, start, truncated, length);
      }
      length++;
      if (length > maxLineBytes) {
        truncated = true;
      } else {
        buffer.write(b);
      }
    }
    if (length == 0 && offset == start) {
      return null;
    }
    number++;
    return new Line(stripCr(buffer, truncated), number, start, truncated, length);
  }

  private static byte[] stripCr(ByteArrayOutputStream buffer, boolean truncated) {
    byte[] bytes = buffer.toByteArray();
    if (!truncated && bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
      return java.util.Arrays.copyOf(bytes, bytes.length - 1);
    }
    return bytes;
  }
}
