package dev.refinery.llm.gguf;

import dev.refinery.core.error.RefineryException;
import java.nio.ByteBuffer;

/**
 * One tensor of a GGUF file. {@code dimensions} are ggml's {@code ne}, fastest-varying first, so a matrix with
 * {@code ne = [in, out]} is {@code [out, in]} in row-major order. Dequantisation follows ggml's reference
 * {@code dequantize_row_*} functions (ggml-quants.c).
 */
public record GgufTensor(String name, long[] dimensions, GgmlType type, ByteBuffer data) {

  public long elementCount() {
    long count = 1;
    for (long d : dimensions) {
      count *= d;
    }
    return count;
  }

  /** Row-major shape (slowest dimension first), as DJL and PyTorch order it. */
  public long[] shape() {
    long[] shape = new long[dimensions.length];
    for (int i = 0; i < dimensions.length; i++) {
      shape[i] = dimensions[dimensions.length - 1 - i];
    }
    return shape;
  }

  public float[] toFloats() {
    int n = Math.toIntExact(elementCount());
    float[] out = new float[n];
    ByteBuffer b = data.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int blocks = n / type.blockSize();
    switch (type) {
      case F32 -> b.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = half(b.getShort(2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
        }
      }
      case Q4_0, Q4_1 -> {
        boolean withMin = type == GgmlType.Q4_1;
        int blockBytes = withMin ? 20 : 18;
        for (int k = 0; k < blocks; k++) {
          int base = k * blockBytes;
          float d = half(b.getShort(base));
          float m = withMin ? half(b.getShort(base + 2)) : 0f;
          int qs = base + (withMin ? 4 : 2);
          for (int j = 0; j < 16; j++) {
            int q = b.get(qs + j) & 0xff;
            if (withMin) {
              out[k * 32 + j] = (q & 0xf) * d + m;
              out[k * 32 + j + 16] = (q >> 4) * d + m;
            } else {
              out[k * 32 + j] = ((q & 0xf) - 8) * d;
              out[k * 32 + j + 16] = ((q >> 4) - 8) * d;
            }
          }
        }
      }
      case Q5_0, Q5_1 -> {
        boolean withMin = type == GgmlType.Q5_1;
        int blockBytes = withMin ? 24 : 22;
        for (int k = 0; k < blocks; k++) {
          int base = k * blockBytes;
          float d = half(b.getShort(base));
          float m = withMin ? half(b.getShort(base + 2)) : 0f;
          int qhAt = base + (withMin ? 4 : 2);
          int qh = b.getInt(qhAt);
          int qs = qhAt + 4;
          for (int j = 0; j < 16; j++) {
            int q = b.get(qs + j) & 0xff;
            int high0 = ((qh >>> j) << 4) & 0x10;
            int high1 = (qh >>> (j + 12)) & 0x10;
            int x0 = (q & 0xf) | high0;
            int x1 = (q >> 4) | high1;
            if (withMin) {
              out[k * 32 + j] = x0 * d + m;
              out[k * 32 + j + 16] = x1 * d + m;
            } else {
              out[k * 32 + j] = (x0 - 16) * d;
              out[k * 32 + j + 16] = (x1 - 16) * d;
            }
          }
        }
      }
      case Q8_0 -> {
        for (int k = 0; k < blocks; k++) {
          int base = k * 34;
          float d = half(b.getShort(base));
          for (int j = 0; j < 32; j++) {
            out[k * 32 + j] = b.get(base + 2 + j) * d;
          }
        }
      }
      case Q4_K -> q4k(b, blocks, out);
      case Q5_K -> q5k(b, blocks, out);
      case Q6_K -> q6k(b, blocks, out);
      default -> throw RefineryException.userError("Cannot dequantise tensor %s: type %s is not supported", name, type);
    }
    return out;
  }

  /** ggml's get_scale_min_k4: 6-bit scale and min number {@code j} of a K-quant block's 12 scale bytes. */
  private static int[] scaleMin(ByteBuffer b, int scales, int j) {
    if (j < 4) {
      return new int[] {b.get(scales + j) & 63, b.get(scales + j + 4) & 63};
    }
    int q = b.get(scales + j + 4) & 0xff;
    return new int[] {(q & 0xf) | (((b.get(scales + j - 4) & 0xff) >> 6) << 4),
        (q >> 4) | (((b.get(scales + j) & 0xff) >> 6) << 4)};
  }

  private static void q4k(ByteBuffer b, int blocks, float[] out) {
    for (int k = 0; k < blocks; k++) {
      int base = k * 144;
      float d = half(b.getShort(base));
      float dmin = half(b.getShort(base + 2));
      int scales = base + 4;
      int q = base + 16;
      int y = k * 256;
      for (int j = 0, is = 0; j < 256; j += 64, is += 2) {
        int[] sm1 = scaleMin(b, scales, is);
        int[] sm2 = scaleMin(b, scales, is + 1);
        float d1 = d * sm1[0];
        float m1 = dmin * sm1[1];
        float d2 = d * sm2[0];
        float m2 = dmin * sm2[1];
        for (int l = 0; l < 32; l++) {
          out[y++] = d1 * (b.get(q + l) & 0xf) - m1;
        }
        for (int l = 0; l < 32; l++) {
          out[y++] = d2 * ((b.get(q + l) & 0xff) >> 4) - m2;
        }
        q += 32;
      }
    }
  }

  private static void q5k(ByteBuffer b, int blocks, float[] out) {
    for (int k = 0; k < blocks; k++) {
      int base = k * 176;
      float d = half(b.getShort(base));
      float dmin = half(b.getShort(base + 2));
      int scales = base + 4;
      int qh = base + 16;
      int ql = base + 48;
      int y = k * 256;
      int u1 = 1;
      int u2 = 2;
      for (int j = 0, is = 0; j < 256; j += 64, is += 2) {
        int[] sm1 = scaleMin(b, scales, is);
        int[] sm2 = scaleMin(b, scales, is + 1);
        float d1 = d * sm1[0];
        float m1 = dmin * sm1[1];
        float d2 = d * sm2[0];
        float m2 = dmin * sm2[1];
        for (int l = 0; l < 32; l++) {
          out[y++] = d1 * ((b.get(ql + l) & 0xf) + ((b.get(qh + l) & u1) != 0 ? 16 : 0)) - m1;
        }
        for (int l = 0; l < 32; l++) {
          out[y++] = d2 * (((b.get(ql + l) & 0xff) >> 4) + ((b.get(qh + l) & u2) != 0 ? 16 : 0)) - m2;
        }
        ql += 32;
        u1 <<= 2;
        u2 <<= 2;
      }
    }
  }

  private static void q6k(ByteBuffer b, int blocks, float[] out) {
    for (int k = 0; k < blocks; k++) {
      int base = k * 210;
      int ql = base;
      int qh = base + 128;
      int sc = base + 192;
      float d = half(b.getShort(base + 208));
      int y = k * 256;
      for (int n = 0; n < 256; n += 128) {
        for (int l = 0; l < 32; l++) {
          int is = l / 16;
          int h = b.get(qh + l) & 0xff;
          int low0 = b.get(ql + l) & 0xff;
          int low32 = b.get(ql + l + 32) & 0xff;
          int q1 = ((low0 & 0xf) | ((h & 3) << 4)) - 32;
          int q2 = ((low32 & 0xf) | (((h >> 2) & 3) << 4)) - 32;
          int q3 = ((low0 >> 4) | (((h >> 4) & 3) << 4)) - 32;
          int q4 = ((low32 >> 4) | (((h >> 6) & 3) << 4)) - 32;
          out[y + l] = d * b.get(sc + is) * q1;
          out[y + l + 32] = d * b.get(sc + is + 2) * q2;
          out[y + l + 64] = d * b.get(sc + is + 4) * q3;
          out[y + l + 96] = d * b.get(sc + is + 6) * q4;
        }
        y += 128;
        ql += 64;
        qh += 32;
        sc += 8;
      }
    }
  }

  /** IEEE 754 half to float (Java 17 has no Float.float16ToFloat). */
  static float half(short bits) {
    int h = bits & 0xffff;
    int sign = (h >>> 15) << 31;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      // Subnormal: value = mantissa * 2^-24.
      float value = mantissa * 5.9604645e-8f;
      return sign == 0 ? value : -value;
    }
    if (exponent == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
