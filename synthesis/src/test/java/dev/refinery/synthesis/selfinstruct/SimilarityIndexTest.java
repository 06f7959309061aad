package dev.refinery.synthesis.selfinstruct;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The blocked, bounded search returns exactly what the O(N^2) brute force returns, on real instructions. */
class SimilarityIndexTest {
  static List<String> instructions() {
    List<String> texts = new ArrayList<>();
    for (SeedTask seed : SeedTask.read(SharedSpark.repoRoot().resolve("samples/selfinstruct/seed_tasks.jsonl"))) {
      texts.add(seed.instruction());
    }
    return texts;
  }

  /** Near-duplicates of real instructions: words dropped, swapped and replaced, so scores span [0, 1]. */
  static List<String> variants(List<String> base, int count, long seed) {
    Random random = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String> words = new ArrayList<>(List.of(base.get(random.nextInt(base.size())).split("\\s+")));
      int edits = random.nextInt(Math.max(1, words.size()));
      for (int e = 0; e < edits && words.size() > 1; e++) {
        switch (random.nextInt(3)) {
          case 0 -> words.remove(random.nextInt(words.size()));
          case 1 -> Collections.swap(words, random.nextInt(words.size()), random.nextInt(words.size()));
          default -> words.set(random.nextInt(words.size()), base.get(random.nextInt(base.size())).split("\\s+")[0]);
        }
      }
      out.add(String.join(" ", words));
    }
    return out;
  }

  @Test
  void blockedSearchEqualsBruteForceAndSkipsMostPairs() {
    List<String> seeds = instructions();
    List<String> candidates = variants(seeds, 400, 7);
    SimilarityIndex index = new SimilarityIndex();
    List<String> pool = new ArrayList<>();
    seeds.forEach(s -> {
      index.add(s);
      pool.add(s);
    });
    long exact = 0;
    long brute = 0;
    int rejected = 0;
    for (String candidate : candidates) {
      double expected = 0;
      for (String entry : pool) {
        expected = Math.max(expected, RougeL.fmeasure(entry, candidate));
      }
      brute += pool.size();
      SimilarityIndex.Match match = index.best(candidate);
      exact += match.exactComparisons();
      assertThat(match.score()).as(candidate).isEqualTo(expected);
      if (match.index() >= 0) {
        assertThat(RougeL.fmeasure(pool.get(match.index()), candidate)).isEqualTo(expected);
      }
      // The self-instruct loop: accepted candidates join the pool, so later ones see them.
      if (expected < 0.7) {
        index.add(candidate);
        pool.add(candidate);
      } else {
        rejected++;
      }
    }
    assertThat(rejected).isGreaterThan(20);
    assertThat(exact).isLessThan(brute / 5);
  }

  @Test
  void nothingInCommonScoresZero() {
    SimilarityIndex index = new SimilarityIndex();
    index.add("Sort these numbers");
    assertThat(index.best("Translate a poem").score()).isZero();
    assertThat(index.best("Translate a poem").index()).isEqualTo(-1);
    assertThat(index.best("!!!").score()).isZero();
  }
}
