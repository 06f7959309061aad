package dev.refinery.filtering.perplexity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refinery.core.text.LmTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Estimation parity with KenLM's {@code lmplz} (optional: it needs the lmplz binary, built from KenLM's
 * sources with Boost; set {@code REFINERY_LMPLZ} to its path). Same tokenized corpus in, same n-grams out,
 * log10 probabilities and backoffs equal within 1e-5 (both round to float).
 */
class LmplzParityTest {

  @Test
  void estimatesEqualLmplzWithoutPruning() throws Exception {
    String lmplz = System.getenv("REFINERY_LMPLZ");
    Assumptions.assumeTrue(lmplz != null && Files.isExecutable(Path.of(lmplz)),
        "REFINERY_LMPLZ is not set to an lmplz binary; estimation parity with lmplz not checked");
    List<String> tokenized = new ArrayList<>();
    for (String line : TestModels.wikiLines("wikitext-2-raw.test.raw.gz", 0, 40)) {
      String[] tokens = LmTokenizer.tokens(line.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", "."));
      if (tokens.length > 0) {
        tokenized.add(String.join(" ", tokens));
      }
    }
    Path dir = Files.createTempDirectory("lmplz-");
    Path corpus = Files.write(dir.resolve("corpus.txt"), tokenized, StandardCharsets.UTF_8);
    Path arpa = dir.resolve("lmplz.arpa");
    Process process = new ProcessBuilder(lmplz, "-o", "4", "--discount_fallback", "-S", "10%", "-T", dir.toString())
        .redirectInput(corpus.toFile()).redirectOutput(arpa.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertThat(process.waitFor()).isZero();

    Map<String, float[]> theirs = read(arpa);
    Map<String, float[]> ours = read(Path.of(TestModels.wiki(4, 40).arpaPath()));
    assertThat(ours.keySet()).isEqualTo(theirs.keySet());
    for (Map.Entry<String, float[]> entry : ours.entrySet()) {
      if (entry.getKey().equals(NgramModel.BOS)) {
        continue; // never predicted; lmplz versions write 0 or -99
      }
      float[] other = theirs.get(entry.getKey());
      assertThat(entry.getValue()[0]).as("log10 p(%s)", entry.getKey()).isCloseTo(other[0], within(1e-5f));
      assertThat(entry.getValue()[1]).as("backoff(%s)", entry.getKey()).isCloseTo(other[1], within(1e-5f));
    }
  }

  private static Map<String, float[]> read(Path arpa) throws IOException {
    Map<String, float[]> out = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(arpa, StandardCharsets.UTF_8)) {
      ArpaReader.visit(reader, arpa.toString(), new ArpaReader.Visitor() {
        @Override
        public void header(long[] counts) {}

        @Override
        public void entry(ArpaReader.Entry entry) {
          out.put(String.join(" ", entry.words()), new float[] {entry.log10Prob(), entry.log10Backoff()});
        }
      });
    }
    return out;
  }
}
