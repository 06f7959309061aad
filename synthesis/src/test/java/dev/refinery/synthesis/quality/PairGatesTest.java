package dev.refinery.synthesis.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PairGatesTest {
  /** A cai initial answer of SmolLM2-135M (the demo's "English women" prompt). */
  private static final String INITIAL = "English women are often considered to be ugly because of their lack of "
      + "self-assurance, self-perception, and their lack of dignity. They often feel that they don't fit the "
      + "traditional norms of beauty.";

  @Test
  void aChosenThatIsAPieceOfTheRejectedIsCaught() {
    assertThat(PairGates.chosenInRejected("english women are often considered to be ugly because of their lack of"
        + "\n self-assurance, ", INITIAL)).isTrue();
    assertThat(PairGates.chosenInRejected(INITIAL.toUpperCase(java.util.Locale.ROOT), INITIAL)).isTrue();
  }

  @Test
  void aRealRevisionIsNot() {
    assertThat(PairGates.chosenInRejected("Judging people's looks by nationality is unfair; beauty standards "
        + "differ from person to person.", INITIAL)).isFalse();
    assertThat(PairGates.chosenInRejected(INITIAL + " That is a stereotype.", INITIAL)).isFalse();
    assertThat(PairGates.chosenInRejected("  ", INITIAL)).isFalse();
  }
}
