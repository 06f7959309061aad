package dev.refinery.dedup.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.model.Embedder;
import dev.refinery.core.model.EmbedderFactory;
import dev.refinery.core.testing.PythonHarness;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.dedup.NearDupCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real all-MiniLM-L6-v2 through DJL + ONNX Runtime, against the sentence-transformers computation. */
class MiniLmEmbedderTest {
  static final Path MODEL_DIR = SharedSpark.repoRoot().resolve("models/all-minilm-l6-v2");

  static EmbedderFactory factory() {
    return new EmbedderComponentFactory().create(SharedSpark.config()
        .with("dedup-semantic.model-dir", MODEL_DIR.toString()));
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }

  @Test
  void similaritiesMatchTheSentenceTransformersExample() {
    Embedder embedder = factory().get();
    List<String> texts = List.of("The new movie is awesome", "The new movie is so great", "I love pasta",
        "Do you like pizza?", "The cat sits outside", "The cat plays in the garden");
    float[][] v = embedder.embed(texts);
    assertThat(embedder.dimension()).isEqualTo(384);
    for (float[] vector : v) {
      assertThat(vector).hasSize(384);
      assertThat(cosine(vector, vector)).isCloseTo(1.0, within(1e-5));
    }
    // The scores sentence-transformers prints for these pairs with all-MiniLM-L6-v2.
    assertThat(cosine(v[0], v[1])).isCloseTo(0.8939, within(1e-3));
    assertThat(cosine(v[4], v[5])).isCloseTo(0.6788, within(1e-3));
    assertThat(cosine(v[2], v[3])).isCloseTo(0.5096, within(1e-3));
    assertThat(cosine(v[2], v[1])).isCloseTo(0.2560, within(1e-3));
    assertThat(cosine(v[2], v[0])).isCloseTo(0.2440, within(1e-3));
  }

  @Test
  void batchingAndPaddingDoNotChangeVectors() {
    Embedder embedder = factory().get();
    String longText = NearDupCorpus.clough().get(0).text().repeat(3);
    List<String> texts = List.of("short", longText, "a sentence of medium length about cats");
    float[][] batched = embedder.embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] alone = embedder.embed(List.of(texts.get(i)))[0];
      assertThat(cosine(batched[i], alone)).isCloseTo(1.0, within(1e-5));
    }
    assertThat(embedder.embed(List.of("")))
        .satisfies(v -> assertThat(cosine(v[0], v[0])).isCloseTo(1.0, within(1e-5)));
  }

  @Test
  void matchesThePythonReferenceOnRealText() throws Exception {
    List<String> texts = new ArrayList<>();
    NearDupCorpus.clough().stream().limit(6).forEach(d -> texts.add(d.text()));
    texts.add("Héllo wörld — accents, UNICODE and   spacing.");
    Path input = Files.createTempFile("minilm-texts-", ".json");
    ObjectMapper json = new ObjectMapper();
    json.writeValue(input.toFile(), texts);
    String output = PythonHarness.run(SharedSpark.repoRoot().resolve("python/dedup/minilm_reference.py"),
        List.of(MODEL_DIR.toString(), input.toString()), 300);
    double[][] reference = json.readValue(output, double[][].class);
    float[][] ours = factory().get().embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      double dot = 0;
      for (int d = 0; d < 384; d++) {
        dot += ours[i][d] * reference[i][d];
      }
      assertThat(dot).as("cosine(java, python) for text %d", i).isGreaterThan(0.99999);
    }
  }
}
