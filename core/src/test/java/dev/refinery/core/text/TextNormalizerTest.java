package dev.refinery.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {
  @Test
  void aggressiveLowersStripsAccentsDropsPunctuationAndZeroesDigits() {
    assertThat(TextNormalizer.aggressive("  Café, 1984 -- “Déjà vu”!\tOK  ")).isEqualTo("cafe 0000 deja vu ok");
    assertThat(TextNormalizer.aggressive("The U.S. (in 2019) - a @-@ b")).isEqualTo("the us in 0000 a b");
    assertThat(TextNormalizer.aggressive("!!! ...")).isEmpty();
  }

  /** The single ASCII pass must agree with the regex steps on every input, ASCII or not. */
  @Test
  void asciiFastPathAgreesWithTheStepByStepDefinition() {
    String alphabet = "aZq09 \t\n\u000b\f\r.,;:!?'\"-_@#$%^&*()[]{}<>/\\|~`+=\u0001\u001f\u007f"
        + "é\u0301ß\u00a0\u2003٣ＡΣσςİﬁ\u1100\u1161—“";
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(16);
      // Half the cases stay within ASCII so the whole-text fast path is exercised, not just per-word steps.
      int limit = n % 2 == 0 ? alphabet.indexOf('é') : alphabet.length();
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(limit)));
      }
      String input = text.toString();
      assertThat(TextNormalizer.aggressive(input)).as("aggressive(%s)", escape(input))
          .isEqualTo(TextNormalizer.aggressiveBySteps(input));
    }
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
    return out.toString();
  }
}
