package dev.refinery.llm.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.testing.PythonHarness;
import dev.refinery.core.testing.SharedSpark;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Dequantisation of every supported block type against the gguf package's numpy port of ggml. */
class GgufTensorTest {
  /** Byte offsets of the f16 scale fields in one block, per type (the rest of the block is random). */
  private static final Map<GgmlType, int[]> SCALES = Map.of(
      GgmlType.Q4_0, new int[] {0}, GgmlType.Q4_1, new int[] {0, 2}, GgmlType.Q5_0, new int[] {0},
      GgmlType.Q5_1, new int[] {0, 2}, GgmlType.Q8_0, new int[] {0}, GgmlType.Q4_K, new int[] {0, 2},
      GgmlType.Q5_K, new int[] {0, 2}, GgmlType.Q6_K, new int[] {208});

  @Test
  void halfPrecisionConversion() {
    assertThat(GgufTensor.half((short) 0x3c00)).isEqualTo(1.0f);
    assertThat(GgufTensor.half((short) 0xc000)).isEqualTo(-2.0f);
    assertThat(GgufTensor.half((short) 0x0001)).isEqualTo(5.9604645e-8f);
    assertThat(GgufTensor.half((short) 0x7bff)).isEqualTo(65504f);
    assertThat(GgufTensor.half((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
  }

  @Test
  void quantisedBlocksMatchGgmlReference() throws Exception {
    Random random = new Random(42);
    for (Map.Entry<GgmlType, int[]> entry : SCALES.entrySet()) {
      GgmlType type = entry.getKey();
      int blocks = 3;
      int elements = blocks * type.blockSize();
      byte[] bytes = new byte[(int) type.bytesFor(elements)];
      random.nextBytes(bytes);
      int blockBytes = bytes.length / blocks;
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      for (int b = 0; b < blocks; b++) {
        for (int offset : entry.getValue()) {
          // A positive normal half in [2^-7, 2^-3): finite scales, as real files have.
          short scale = (short) (((8 + random.nextInt(4)) << 10) | random.nextInt(1024));
          buffer.putShort(b * blockBytes + offset, scale);
        }
      }
      Path file = Files.createTempFile("blocks-", ".bin");
      Files.write(file, bytes);
      String out = PythonHarness.run(SharedSpark.repoRoot().resolve("python/training/dequantize.py"),
          List.of(type.name(), file.toString()), 120);
      double[] expected = new ObjectMapper().readValue(out, double[].class);
      float[] actual = new GgufTensor("t", new long[] {elements}, type, ByteBuffer.wrap(bytes)).toFloats();
      assertThat(actual).as("%s length", type).hasSize(expected.length);
      for (int i = 0; i < actual.length; i++) {
        assertThat((double) actual[i]).as("%s element %d", type, i)
            .isCloseTo(expected[i], within(1e-6 + 1e-5 * Math.abs(expected[i])));
      }
      Files.delete(file);
    }
  }
}
