package dev.refinery.filtering.perplexity;

import dev.refinery.core.error.RefineryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Refinery's binary form of an {@link NgramModel}: the hash tables themselves, so loading is a few bulk
 * reads with no parsing and no hashing (an ARPA file of the same model parses about 10x slower).
 *
 * <p>Layout, little-endian: magic {@code RFNGRAM1}; int order; int vocabulary size; per word an int byte
 * length and its UTF-8 bytes (ids are positions); per order an int capacity, an int size, then
 * {@code long[capacity]} keys, {@code float[capacity]} log10 probabilities, {@code float[capacity]} log10
 * backoffs. We chose heap arrays filled by bulk reads over memory-mapping: Java maps at most 2 GiB per
 * buffer and a lookup through a {@code ByteBuffer} costs bounds checks, while the arrays give the JIT plain
 * loads; a model is loaded once per executor JVM anyway.
 */
public final class ModelBinary {
  static final byte[] MAGIC = "RFNGRAM1".getBytes(StandardCharsets.US_ASCII);
  private static final int CHUNK = 1 << 22;

  private ModelBinary() {}

  public static void write(NgramModel model, WritableByteChannel out) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(MAGIC).putInt(model.order()).putInt(model.vocabularySize());
    for (String word : model.words()) {
      byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
      ensure(buffer, out, 4 + bytes.length);
      buffer.putInt(bytes.length);
      if (bytes.length > buffer.remaining()) {
        flush(buffer, out);
        out.write(ByteBuffer.wrap(bytes));
      } else {
        buffer.put(bytes);
      }
    }
    for (int n = 1; n <= model.order(); n++) {
      NgramTable table = model.table(n);
      ensure(buffer, out, 8);
      buffer.putInt(table.capacity()).putInt(table.size());
      for (int i = 0; i < table.capacity(); i++) {
        ensure(buffer, out, 8);
        buffer.putLong(table.keys[i]);
      }
      for (int i = 0; i < table.capacity(); i++) {
        ensure(buffer, out, 4);
        buffer.putFloat(table.probs[i]);
      }
      for (int i = 0; i < table.capacity(); i++) {
        ensure(buffer, out, 4);
        buffer.putFloat(table.backoffs[i]);
      }
    }
    flush(buffer, out);
  }

  public static NgramModel read(ReadableByteChannel in, String source) throws IOException {
    Reader reader = new Reader(in, source);
    byte[] magic = reader.bytes(MAGIC.length);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw RefineryException.userError("Cannot read binary language model %s: not a Refinery model (bad magic)", source);
    }
    int order = reader.buffer(4).getInt();
    int vocab = reader.buffer(4).getInt();
    if (order < 1 || order > 16 || vocab < 3) {
      throw RefineryException.userError("Cannot read binary language model %s: order %d, vocabulary %d", source, order, vocab);
    }
    String[] words = new String[vocab];
    for (int i = 0; i < vocab; i++) {
      int length = reader.buffer(4).getInt();
      words[i] = new String(reader.bytes(length), StandardCharsets.UTF_8);
    }
    NgramTable[] tables = new NgramTable[order];
    for (int n = 0; n < order; n++) {
      int capacity = reader.buffer(4).getInt();
      int size = reader.buffer(4).getInt();
      long[] keys = new long[capacity];
      float[] probs = new float[capacity];
      float[] backoffs = new float[capacity];
      for (int i = 0; i < capacity; ) {
        int count = Math.min(capacity - i, CHUNK / 8);
        reader.buffer(count * 8).asLongBuffer().get(keys, i, count);
        i += count;
      }
      for (float[] array : new float[][] {probs, backoffs}) {
        for (int i = 0; i < capacity; ) {
          int count = Math.min(capacity - i, CHUNK / 4);
          reader.buffer(count * 4).asFloatBuffer().get(array, i, count);
          i += count;
        }
      }
      tables[n] = new NgramTable(keys, probs, backoffs, size);
    }
    return new NgramModel(order, words, tables);
  }

  private static void ensure(ByteBuffer buffer, WritableByteChannel out, int bytes) throws IOException {
    if (buffer.remaining() < bytes) {
      flush(buffer, out);
    }
  }

  private static void flush(ByteBuffer buffer, WritableByteChannel out) throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
    buffer.clear();
  }

  /** Reads exact byte counts from a channel through one reusable buffer. */
  private static final class Reader {
    private final ReadableByteChannel in;
    private final String source;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);

    Reader(ReadableByteChannel in, String source) {
      this.in = in;
      this.source = source;
    }

    ByteBuffer buffer(int bytes) throws IOException {
      if (bytes > buffer.capacity()) {
        buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
      }
      buffer.clear().limit(bytes);
      while (buffer.hasRemaining()) {
        if (in.read(buffer) < 0) {
          throw RefineryException.userError("Cannot read binary language model %s: file is truncated", source);
        }
      }
      buffer.flip();
      return buffer;
    }

    byte[] bytes(int length) throws IOException {
      byte[] out = new byte[length];
      buffer(length).get(out);
      return out;
    }
  }
}
