package dev.refinery.filtering.perplexity;

import dev.refinery.core.testing.SharedSpark;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/** Small models trained once per test JVM from slices of the WikiText sample. */
final class TestModels {
  private static final Map<String, LmTrainer.TrainedModel> MODELS = new ConcurrentHashMap<>();

  private TestModels() {}

  /** Lines {@code [skip, skip + count)} of a WikiText sample file, blank lines included. */
  static List<String> wikiLines(String file, int skip, int count) {
    Path path = SharedSpark.repoRoot().resolve("samples/reference-corpus").resolve(file);
    List<String> out = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(path)), StandardCharsets.UTF_8))) {
      String line;
      int index = 0;
      while ((line = reader.readLine()) != null && out.size() < count) {
        if (index++ >= skip) {
          out.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A model of {@code order} trained on the first {@code lines} lines of wikitext-2-raw test. */
  static LmTrainer.TrainedModel wiki(int order, int lines) {
    return MODELS.computeIfAbsent(order + "/" + lines, key -> train(wikiLines("wikitext-2-raw.test.raw.gz", 0, lines), order));
  }

  static LmTrainer.TrainedModel train(List<String> corpus, int order) {
    try {
      Path dir = Files.createTempDirectory("lm-test-");
      Path file = dir.resolve("corpus.txt");
      Files.write(file, corpus, StandardCharsets.UTF_8);
      LmTrainOptions options = new LmTrainOptions(List.of(file.toString()), LmTrainOptions.CorpusFormat.WIKITEXT,
          order, dir.resolve("models").toString(), List.of(0.5, 1.0, 1.5));
      return new LmTrainer(SharedSpark.session(), options).train();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String resource(String name) {
    return SharedSpark.repoRoot().resolve("filtering/src/test/resources/perplexity").resolve(name).toString();
  }
}
