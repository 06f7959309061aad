package dev.refinery.synthesis.selfinstruct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.testing.PythonHarness;
import dev.refinery.core.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RougeLTest {
  @Test
  void tokenizesLikeRougeScore() {
    assertThat(RougeL.tokenize("Hello, World! It's 2024... café")).containsExactly("hello", "world", "it", "s", "2024",
        "caf");
    assertThat(RougeL.tokenize("   ")).isEmpty();
  }

  @Test
  void scoresTheLongestCommonSubsequence() {
    assertThat(RougeL.fmeasure("the cat sat on the mat", "the cat on the mat")).isCloseTo(2 * 5.0 / 11, within(1e-12));
    assertThat(RougeL.fmeasure("a b c", "a b c")).isEqualTo(1.0);
    assertThat(RougeL.fmeasure("", "a")).isZero();
  }

  /** 500 pairs of real instructions and their variants, scored by the rouge-score package. */
  @Test
  void equalsTheRougeScorePackageOn500Pairs() throws Exception {
    List<String> seeds = SimilarityIndexTest.instructions();
    List<String> variants = SimilarityIndexTest.variants(seeds, 500, 11);
    Random random = new Random(3);
    ObjectMapper json = new ObjectMapper();
    List<String[]> pairs = new ArrayList<>();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      String target = i % 5 == 0 ? seeds.get(random.nextInt(seeds.size())) : variants.get(i);
      String prediction = i % 7 == 0 ? seeds.get(random.nextInt(seeds.size())) : seeds.get(i % seeds.size());
      if (i == 1) {
        target = "Ünïcödé — naïve façade, 3½ "; // non-ASCII letters vanish in the tokenizer
      }
      pairs.add(new String[] {target, prediction});
      lines.append(json.writeValueAsString(List.of(target, prediction))).append('\n');
    }
    Path input = Files.createTempFile("rouge-pairs-", ".jsonl");
    Files.writeString(input, lines, StandardCharsets.UTF_8);

    String out = PythonHarness.run(SharedSpark.repoRoot().resolve("python/synthesis/rouge_l.py"),
        List.of(input.toString()), 120);

    String[] scores = out.strip().split("\n");
    assertThat(scores).hasSize(500);
    for (int i = 0; i < 500; i++) {
      assertThat(RougeL.fmeasure(pairs.get(i)[0], pairs.get(i)[1]))
          .as("pair %d: %s | %s", i, pairs.get(i)[0], pairs.get(i)[1])
          .isCloseTo(Double.parseDouble(scores[i]), within(1e-6));
    }
  }
}
