package dev.refinery.llm.gguf;

import dev.refinery.core.error.RefineryException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file (llama.cpp's model format, versions 2 and 3): its metadata and tensors, memory-mapped. Tensor data
 * is dequantised to float on request by {@link GgufTensor#toFloats()}.
 */
public final class GgufFile {
  private static final int MAGIC = 0x46554747; // "GGUF" little-endian

  private final Path path;
  private final Map<String, Object> metadata;
  private final Map<String, GgufTensor> tensors;

  private GgufFile(Path path, Map<String, Object> metadata, Map<String, GgufTensor> tensors) {
    this.path = path;
    this.metadata = Collections.unmodifiableMap(metadata);
    this.tensors = Collections.unmodifiableMap(tensors);
  }

  public static GgufFile open(Path path) {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      buffer.order(ByteOrder.LITTLE_ENDIAN);
      if (buffer.getInt() != MAGIC) {
        throw RefineryException.userError("Cannot read GGUF file %s: it does not start with the GGUF magic", path);
      }
      int version = buffer.getInt();
      if (version < 2 || version > 3) {
        throw RefineryException.userError("Cannot read GGUF file %s: version %d is not supported (2 or 3)", path,
            version);
      }
      long tensorCount = buffer.getLong();
      long kvCount = buffer.getLong();
      Map<String, Object> metadata = new LinkedHashMap<>();
      for (long i = 0; i < kvCount; i++) {
        String key = string(buffer);
        metadata.put(key, value(buffer, buffer.getInt()));
      }
      List<Object[]> infos = new ArrayList<>();
      for (long i = 0; i < tensorCount; i++) {
        String name = string(buffer);
        int dims = buffer.getInt();
        long[] shape = new long[dims];
        for (int d = 0; d < dims; d++) {
          shape[d] = buffer.getLong();
        }
        int type = buffer.getInt();
        long offset = buffer.getLong();
        infos.add(new Object[] {name, shape, type, offset});
      }
      long alignment = ((Number) metadata.getOrDefault("general.alignment", 32)).longValue();
      long dataStart = (buffer.position() + alignment - 1) / alignment * alignment;
      Map<String, GgufTensor> tensors = new LinkedHashMap<>();
      for (Object[] info : infos) {
        GgmlType type = GgmlType.of((Integer) info[2]);
        long[] ne = (long[]) info[1];
        long count = 1;
        for (long n : ne) {
          count *= n;
        }
        long start = dataStart + (Long) info[3];
        long bytes = type.bytesFor(count);
        tensors.put((String) info[0], new GgufTensor((String) info[0], ne, type,
            buffer.slice(Math.toIntExact(start), Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN)));
      }
      return new GgufFile(path, metadata, tensors);
    } catch (IOException e) {
      throw RefineryException.external(e, "Cannot read GGUF file %s", path);
    }
  }

  public Path path() {
    return path;
  }

  public Map<String, Object> metadata() {
    return metadata;
  }

  public Map<String, GgufTensor> tensors() {
    return tensors;
  }

  public GgufTensor tensor(String name) {
    GgufTensor tensor = tensors.get(name);
    if (tensor == null) {
      throw RefineryException.userError("Cannot find tensor %s in %s", name, path);
    }
    return tensor;
  }

  public long getLong(String key) {
    Object value = metadata.get(key);
    if (!(value instanceof Number number)) {
      throw RefineryException.userError("Cannot read GGUF metadata %s from %s: missing or not a number", key, path);
    }
    return number.longValue();
  }

  public double getDouble(String key, double fallback) {
    Object value = metadata.get(key);
    return value instanceof Number number ? number.doubleValue() : fallback;
  }

  private static String string(MappedByteBuffer buffer) {
    int length = Math.toIntExact(buffer.getLong());
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static Object value(MappedByteBuffer buffer, int type) {
    return switch (type) {
      case 0 -> buffer.get() & 0xff;
      case 1 -> (int) buffer.get();
      case 2 -> buffer.getShort() & 0xffff;
      case 3 -> (int) buffer.getShort();
      case 4 -> buffer.getInt() & 0xffffffffL;
      case 5 -> buffer.getInt();
      case 6 -> buffer.getFloat();
      case 7 -> buffer.get() != 0;
      case 8 -> string(buffer);
      case 9 -> {
        int elementType = buffer.getInt();
        long count = buffer.getLong();
        List<Object> values = new ArrayList<>((int) Math.min(count, 1 << 20));
        for (long i = 0; i < count; i++) {
          values.add(value(buffer, elementType));
        }
        yield values;
      }
      case 10, 11 -> buffer.getLong();
      case 12 -> buffer.getDouble();
      default -> throw RefineryException.userError("Cannot read GGUF metadata: unknown value type %d", type);
    };
  }
}
