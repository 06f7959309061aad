package dev.refinery.filtering.signals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.testing.SharedSpark;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

/** Real web text from samples/ (see samples/SOURCES.md). */
final class RealDocuments {
  private RealDocuments() {}

  /**
   * A clean C4 page: the third document of samples/web-sample/olmo-c4/c4-sample.01.json.gz, a 515-word
   * biographical sketch in four long lines.
   */
  static String cleanProse() throws IOException {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(
        Files.newInputStream(SharedSpark.repoRoot().resolve("samples/web-sample/olmo-c4/c4-sample.01.json.gz"))),
        StandardCharsets.UTF_8))) {
      reader.readLine();
      reader.readLine();
      return new ObjectMapper().readTree(reader.readLine()).get("text").asText();
    }
  }
}
