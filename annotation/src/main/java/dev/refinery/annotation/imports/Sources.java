package dev.refinery.annotation.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.text.ByteOrderMark;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** File helpers shared by the readers: gzip by extension, no byte-order mark, one Jackson mapper. */
final class Sources {
  static final ObjectMapper JSON = new ObjectMapper();

  private Sources() {}

  /** The file's bytes, decompressed, after a leading UTF-8 byte-order mark (Windows tools write one). */
  static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    InputStream bytes = new BufferedInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in,
        1 << 16);
    ByteOrderMark.skip(bytes);
    return bytes;
  }

  static BufferedReader lines(Path file) throws IOException {
    return new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 1 << 16);
  }

  static JsonNode tree(Path file) throws IOException {
    try (InputStream in = open(file)) {
      return JSON.readTree(in);
    }
  }

  /** A JSON value as text: strings as-is, numbers and booleans printed, null/missing as null. */
  static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  static String truncate(String raw) {
    return raw == null || raw.length() <= 4000 ? raw : raw.substring(0, 4000);
  }
}
