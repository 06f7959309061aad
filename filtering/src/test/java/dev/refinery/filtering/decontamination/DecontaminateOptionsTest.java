package dev.refinery.filtering.decontamination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecontaminateOptionsTest {
  private static final RefineryConfig DEFAULTS = RefineryConfig.defaults();

  @Test
  void readsTheDefaults() {
    DecontaminateOptions options = DecontaminateOptions.from(DEFAULTS);
    assertThat(options.ngramSize()).isEqualTo(13);
    assertThat(options.action()).isEqualTo(DecontaminateOptions.Action.DROP);
    assertThat(options.checks()).containsExactly(DecontaminateOptions.Check.values());
    assertThat(options.evalSets()).extracting(DecontaminateOptions.EvalSet::name)
        .containsExactly("hhh", "hh-rlhf-harmless-test");
    assertThat(options.evalSets().get(1).idField()).isEqualTo(Optional.empty());
    assertThat(options.evalSets().get(1).textFields()).containsExactly("chosen", "rejected");
  }

  @Test
  void errorsNameTheKey() {
    assertThatThrownBy(() -> DecontaminateOptions.from(DEFAULTS.with("decontaminate.ngram-size", 0)))
        .isInstanceOf(RefineryException.class)
        .hasMessage("Invalid config key 'decontaminate.ngram-size': expected an integer in [1, 1000] but got 0");
    assertThatThrownBy(() -> DecontaminateOptions.from(DEFAULTS.with("decontaminate.action", "delete")))
        .hasMessage("Invalid config key 'decontaminate.action': expected one of drop, flag but got 'delete'");
    assertThatThrownBy(() -> DecontaminateOptions.from(
        DEFAULTS.with("decontaminate.check", List.of("documents", "web"))))
        .hasMessageStartingWith("Invalid config key 'decontaminate.check': expected a non-empty list among");
    assertThatThrownBy(() -> DecontaminateOptions.from(DEFAULTS.with("decontaminate.eval-sets",
        List.of(Map.of("name", "x", "path", "x.jsonl", "format", "csv", "id-field", "", "text-fields", List.of("a"))))))
        .hasMessage(
            "Invalid config key 'decontaminate.eval-sets[0].format': expected one of jsonl, parquet but got 'csv'");
    assertThatThrownBy(() -> DecontaminateOptions.from(DEFAULTS.with("decontaminate.eval-sets",
        List.of(Map.of("name", "x", "path", "x.jsonl", "format", "jsonl", "id-field", "")))))
        .hasMessage("Missing config key 'decontaminate.eval-sets[0].text-fields': expected a list of field names");
    assertThatThrownBy(() -> DecontaminateOptions.from(DEFAULTS.with("decontaminate.eval-sets", List.of())))
        .hasMessage("Invalid config key 'decontaminate.eval-sets': expected at least one eval set but got []");
  }
}
