package dev.refinery.filtering.perplexity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refinery.core.text.LmTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KneserNeyEstimatorTest {

  /** Every n-gram of the ARPA file of {@code model}, with words. */
  private static List<ArpaReader.Entry> entries(String arpa) throws IOException {
    List<ArpaReader.Entry> entries = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(Path.of(arpa), StandardCharsets.UTF_8)) {
      ArpaReader.visit(reader, arpa, new ArpaReader.Visitor() {
        @Override
        public void header(long[] counts) {}

        @Override
        public void entry(ArpaReader.Entry entry) {
          entries.add(entry);
        }
      });
    }
    return entries;
  }

  @Test
  void probabilitiesSumToOneForEveryContextOfEveryOrder() throws IOException {
    LmTrainer.TrainedModel trained = TestModels.wiki(4, 40);
    NgramModel model = LanguageModels.load(trained.arpaPath());
    List<int[]> contexts = new ArrayList<>();
    contexts.add(new int[0]);
    for (ArpaReader.Entry entry : entries(trained.arpaPath())) {
      String last = entry.words()[entry.words().length - 1];
      if (entry.words().length < model.order() && !last.equals(NgramModel.EOS) && !last.equals(NgramModel.UNK)) {
        int[] ids = new int[entry.words().length];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = model.id(entry.words()[i]);
        }
        contexts.add(ids);
      }
    }
    int[] perOrder = new int[model.order()];
    double worst = 0;
    for (int[] context : contexts) {
      double sum = 0;
      for (int w = 0; w < model.vocabularySize(); w++) {
        if (w != model.bosId()) {
          sum += Math.pow(10, model.logProb(context, w));
        }
      }
      worst = Math.max(worst, Math.abs(sum - 1));
      assertThat(sum).as("sum over the vocabulary after context %s", java.util.Arrays.toString(context))
          .isCloseTo(1.0, within(1e-6));
      perOrder[context.length]++;
    }
    // Contexts of every order were checked: the empty one, unigrams, bigrams, trigrams.
    assertThat(java.util.Arrays.stream(perOrder).min().getAsInt()).isPositive();
    assertThat(trained.counts()).hasSize(4);
  }

  @Test
  void lmplzConventionsForSpecialWords() {
    LmTrainer.TrainedModel trained = TestModels.wiki(4, 40);
    NgramModel model = LanguageModels.load(trained.arpaPath());
    // <s> has probability 1 (log 0) and a backoff; <unk> gets the interpolation mass of the uniform share.
    assertThat(model.entry(new int[] {model.bosId()})[0]).isEqualTo(0f);
    assertThat(model.entry(new int[] {model.bosId()})[1]).isNegative();
    float unk = model.entry(new int[] {model.unkId()})[0];
    assertThat(unk).isLessThan(model.entry(new int[] {model.eosId()})[0]);
    assertThat(trained.counts()[0]).isEqualTo(model.vocabularySize());
    // Discounts from counts-of-counts lie in [0, k] for count k.
    for (double[] d : trained.discounts()) {
      assertThat(d[0]).isBetween(0.0, 1.0);
      assertThat(d[1]).isBetween(0.0, 2.0);
      assertThat(d[2]).isBetween(0.0, 3.0);
    }
  }

  @Test
  void arpaRoundTripIsExact() throws IOException {
    LmTrainer.TrainedModel trained = TestModels.wiki(4, 40);
    List<ArpaReader.Entry> first = entries(trained.arpaPath());
    StringWriter text = new StringWriter();
    try (ArpaWriter writer = new ArpaWriter(text, trained.counts(), "")) {
      for (ArpaReader.Entry e : first) {
        writer.add(e.words(), e.log10Prob(), e.log10Backoff());
      }
    }
    Path copy = Files.createTempFile("roundtrip-", ".arpa");
    Files.writeString(copy, text.toString());
    List<ArpaReader.Entry> second = entries(copy.toString());
    assertThat(second).hasSameSizeAs(first);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).words()).containsExactly(first.get(i).words());
      assertThat(Float.floatToIntBits(second.get(i).log10Prob())).isEqualTo(Float.floatToIntBits(first.get(i).log10Prob()));
      assertThat(second.get(i).log10Backoff()).isEqualTo(first.get(i).log10Backoff());
    }
    // Writing what was read gives the same file body (lmplz's header comment aside).
    String original = Files.readString(Path.of(trained.arpaPath()));
    assertThat(text.toString()).isEqualTo(original.substring(original.indexOf("\\data\\")));
    assertThat(LanguageModels.load(copy.toString()).table(2)).isEqualTo(LanguageModels.load(trained.arpaPath()).table(2));
  }

  @Test
  void binaryFormScoresExactlyLikeArpa() {
    LmTrainer.TrainedModel trained = TestModels.wiki(4, 40);
    NgramModel arpa = LanguageModels.load(trained.arpaPath());
    NgramModel binary = LanguageModels.load(trained.binaryPath());
    assertThat(binary.vocabularySize()).isEqualTo(arpa.vocabularySize());
    for (int n = 1; n <= arpa.order(); n++) {
      assertThat(binary.table(n)).isEqualTo(arpa.table(n));
    }
    for (String line : TestModels.wikiLines("wikitext-2.valid.txt.gz", 0, 300)) {
      for (String[] sentence : LmTokenizer.sentences(line)) {
        assertThat(binary.score(sentence)).isEqualTo(arpa.score(sentence));
      }
    }
  }

  @Test
  void fastScorerAgreesWithTheBackoffDefinition() {
    LmTrainer.TrainedModel trained = TestModels.wiki(4, 40);
    NgramModel model = LanguageModels.load(trained.arpaPath());
    int checked = 0;
    for (String line : TestModels.wikiLines("wikitext-2-raw.test.raw.gz", 20, 60)) {
      for (String[] sentence : LmTokenizer.sentences(line)) {
        int[] ids = new int[sentence.length + 2];
        ids[0] = model.bosId();
        for (int i = 0; i < sentence.length; i++) {
          ids[i + 1] = model.id(sentence[i]);
        }
        ids[ids.length - 1] = model.eosId();
        double reference = 0;
        for (int i = 1; i < ids.length; i++) {
          reference += model.logProb(java.util.Arrays.copyOfRange(ids, 0, i), ids[i]);
        }
        assertThat(model.score(sentence).log10Prob()).isCloseTo(reference, within(1e-5 + 2e-6 * Math.abs(reference))); // float sums, as KenLM
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(20);
  }

  @Test
  void tooSmallCorpusWithoutFallbackFailsNamingTheKey() {
    KneserNeyEstimator estimator = new KneserNeyEstimator(dev.refinery.core.testing.SharedSpark.session(), 3, List.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> estimator.discounts(2, new long[] {0, 5, 0, 1, 0}))
        .hasMessageContaining("Cannot estimate Kneser-Ney discounts: no 2-grams with adjusted count 2")
        .hasMessageContaining("lm-train.discount-fallback");
    float[] d = estimator.discounts(1, new long[] {0, 100, 40, 20, 10});
    // Y = 100 / 180; D1 = 1 - 2 Y 40/100
    assertThat(d[0]).isCloseTo((float) (1 - 2 * (100.0 / 180) * 40 / 100), within(1e-6f));
    assertThat(d[2]).isCloseTo((float) (3 - 4 * (100.0 / 180) * 10 / 20), within(1e-6f));
  }
}
