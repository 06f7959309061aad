package dev.refinery.llm.gguf;

import dev.refinery.core.error.RefineryException;

/** ggml tensor types this reader dequantises, with their block sizes (elements) and block bytes. */
public enum GgmlType {
  F32(0, 1, 4),
  F16(1, 1, 2),
  Q4_0(2, 32, 18),
  Q4_1(3, 32, 20),
  Q5_0(6, 32, 22),
  Q5_1(7, 32, 24),
  Q8_0(8, 32, 34),
  Q2_K(10, 256, 84),
  Q3_K(11, 256, 110),
  Q4_K(12, 256, 144),
  Q5_K(13, 256, 176),
  Q6_K(14, 256, 210),
  BF16(30, 1, 2);

  private final int id;
  private final int blockSize;
  private final int blockBytes;

  GgmlType(int id, int blockSize, int blockBytes) {
    this.id = id;
    this.blockSize = blockSize;
    this.blockBytes = blockBytes;
  }

  public static GgmlType of(int id) {
    for (GgmlType type : values()) {
      if (type.id == id) {
        return type;
      }
    }
    throw RefineryException.userError("Cannot read GGUF tensor: ggml type %d is not supported", id);
  }

  public int blockSize() {
    return blockSize;
  }

  public long bytesFor(long elements) {
    return elements / blockSize * blockBytes;
  }
}
