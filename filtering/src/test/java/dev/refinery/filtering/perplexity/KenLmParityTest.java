package dev.refinery.filtering.perplexity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.testing.PythonHarness;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.text.LmTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Refinery's scorer against the KenLM Python module ({@code kenlm} from PyPI) on the same ARPA files and
 * the same tokenized sentences: per-sentence log10 probabilities agree within 1e-4.
 */
class KenLmParityTest {
  private static final Path SCRIPT = Path.of("python/perplexity/kenlm_score.py");

  /** 1,500+ tokenized sentences from WikiText validation (unseen text, so many backoffs and OOVs). */
  private static List<String> sentences() {
    List<String> out = new ArrayList<>();
    for (String line : TestModels.wikiLines("wikitext-2.valid.txt.gz", 0, 4000)) {
      for (String[] tokens : LmTokenizer.sentences(line.replace(" @-@ ", "-"))) {
        // Split long paragraphs into sentence-sized pieces so there are many sentences of varied length.
        for (int start = 0; start < tokens.length; start += 25) {
          out.add(String.join(" ", java.util.Arrays.copyOfRange(tokens, start, Math.min(tokens.length, start + 25))));
        }
      }
      if (out.size() >= 1500) {
        break;
      }
    }
    out.add("");
    out.add("zzzqqq xxyyzz");
    return out;
  }

  private static void assertParity(String arpa, List<String> sentences) throws IOException {
    Path file = Files.createTempFile("sentences-", ".txt");
    Files.write(file, sentences, StandardCharsets.UTF_8);
    String output = PythonHarness.run(SharedSpark.repoRoot().resolve(SCRIPT), List.of(arpa, file.toString()), 300);
    String[] kenlm = output.strip().split("\n");
    assertThat(kenlm).hasSize(sentences.size());
    NgramModel model = LanguageModels.load(arpa);
    double worst = 0;
    for (int i = 0; i < sentences.size(); i++) {
      String sentence = sentences.get(i);
      String[] words = sentence.isEmpty() ? new String[0] : sentence.split(" ");
      double ours = model.score(words).log10Prob();
      double theirs = Double.parseDouble(kenlm[i]);
      worst = Math.max(worst, Math.abs(ours - theirs));
      assertThat(ours).as("sentence %d: %s", i, sentence).isCloseTo(theirs, org.assertj.core.api.Assertions.within(1e-4));
    }
    System.out.printf("KenLM parity on %s: %d sentences, max |diff| = %.3g%n", arpa, sentences.size(), worst);
  }

  @Test
  void scoresEqualKenLmOnARefineryTrainedModel() throws IOException {
    List<String> sentences = sentences();
    assertThat(sentences.size()).isGreaterThanOrEqualTo(1000);
    assertParity(TestModels.wiki(4, 40).arpaPath(), sentences);
  }

  @Test
  void scoresEqualKenLmOnKenLmsOwnTestModels() throws IOException {
    // KenLM's lm/test.arpa (lmplz conventions: -99 for <s>) and test_nounk.arpa (no <unk>: KenLM uses -100).
    List<String> sentences = new ArrayList<>(sentences().subList(0, 200));
    sentences.add("looking on a little more loin");
    sentences.add("in biarritz watching considering looking . on a little more loin also would consider higher to look good unknown the screening foo bar , unknown however unknown </s>");
    assertParity(TestModels.resource("test.arpa"), sentences);
    assertParity(TestModels.resource("test_nounk.arpa"), sentences);
  }
}
