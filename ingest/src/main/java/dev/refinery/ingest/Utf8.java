package dev.refinery.ingest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding that reports where the first invalid byte is. */
final class Utf8 {
  private Utf8() {}

  /** Thrown with the byte offset (within the decoded bytes) of the first malformed sequence. */
  static final class InvalidUtf8Exception extends Exception {
    private static final long serialVersionUID = 1L;
    final long byteOffset;

    InvalidUtf8Exception(long byteOffset) {
      super("invalid UTF-8 at byte " + byteOffset);
      this.byteOffset = byteOffset;
    }
  }

  static String decode(byte[] bytes) throws InvalidUtf8Exception {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    var result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new InvalidUtf8Exception(in.position());
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** Lenient decoding for the raw text kept with a quarantined row. */
  static String lenient(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static boolean isValid(byte[] bytes) {
    try {
      decode(bytes);
      return true;
    } catch (InvalidUtf8Exception e) {
      return false;
    }
  }

}
