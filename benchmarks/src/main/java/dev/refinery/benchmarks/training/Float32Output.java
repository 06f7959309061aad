package dev.refinery.benchmarks.training;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Raw little-endian float32, the layout the Python harnesses read with {@code numpy.fromfile(..., "<f4")}. */
final class Float32Output {
  private Float32Output() {}

  static void write(OutputStream out, float[] values) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    out.write(bytes.array());
  }
}
