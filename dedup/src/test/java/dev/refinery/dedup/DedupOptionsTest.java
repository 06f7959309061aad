package dev.refinery.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.dedup.exact.ExactDedupOptions;
import dev.refinery.dedup.semantic.SemanticOptions;
import org.junit.jupiter.api.Test;

/** Pins the defaults and key spellings of the dedup options (conf/application.conf). */
class DedupOptionsTest {
  private final RefineryConfig defaults = RefineryConfig.defaults();

  @Test
  void exactDefaults() {
    assertThat(ExactDedupOptions.from(defaults))
        .isEqualTo(new ExactDedupOptions(TextNormalization.BASIC, Representative.LOWEST_PERPLEXITY));
    assertThatThrownBy(() -> ExactDedupOptions.from(defaults.with("dedup.representative", "newest")))
        .hasMessage("Invalid config key 'dedup.representative': expected one of lowest-perplexity, "
            + "smallest-doc-id but got 'newest'");
  }

  @Test
  void semanticDefaultsAndClusterCount() {
    SemanticOptions options = SemanticOptions.from(defaults);
    assertThat(options).isEqualTo(new SemanticOptions(0.07, 1000, 50000, 20, 42, SemanticOptions.Order.FARTHEST_FIRST,
        4096, Representative.LOWEST_PERPLEXITY));
    assertThat(options.clusters(1)).isEqualTo(1);
    assertThat(options.clusters(1000)).isEqualTo(1);
    assertThat(options.clusters(1001)).isEqualTo(2);
    assertThat(options.clusters(10_000_000_000L)).isEqualTo(50000);
    assertThatThrownBy(() -> SemanticOptions.from(defaults.with("dedup-semantic.eps", 1.5)))
        .hasMessage("Invalid config key 'dedup-semantic.eps': expected a number in [0.0, 1.0] but got 1.5");
  }

  @Test
  void normalisationLevels() {
    String text = "  Café   déjà-vu, 2024!\n";
    assertThat(TextNormalization.NONE.apply(text)).isEqualTo(text);
    assertThat(TextNormalization.BASIC.apply(text)).isEqualTo("café déjà-vu, 2024!");
    assertThat(TextNormalization.AGGRESSIVE.apply(text)).isEqualTo("cafe dejavu 0000");
  }
}
