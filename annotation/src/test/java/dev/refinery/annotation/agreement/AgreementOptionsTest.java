package dev.refinery.annotation.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.annotation.imports.ImportFormat;
import dev.refinery.annotation.imports.ImportLabelsOptions;
import dev.refinery.annotation.judge.JudgeOptions;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins the documented defaults and key spellings of the annotation stages. */
class AgreementOptionsTest {
  @Test
  void agreementDefaults() {
    AgreementOptions options = AgreementOptions.from(RefineryConfig.defaults());
    assertThat(options.raterKinds()).containsExactly("ai", "human");
    assertThat(options.aggregation()).isEqualTo(AgreementOptions.Aggregation.MAJORITY);
    assertThat(options.minRaters()).isEqualTo(2);
    assertThat(options.minAgreement()).isEqualTo(0.6);
    assertThat(options.dropTies()).isTrue();
    assertThat(options.requireChosen()).isFalse();
    assertThat(options.weight()).isEqualTo(AgreementOptions.Weight.AGREEMENT_RATE);
    assertThat(options.resamples()).isEqualTo(1000);
    assertThat(options.confidenceLevel()).isEqualTo(0.95);
    assertThat(options.maxBootstrapPairs()).isEqualTo(64);
    assertThat(options.maxIterations()).isEqualTo(100);
    assertThat(options.smoothing()).isEqualTo(0.01);
    assertThat(options.maxLocalPatterns()).isEqualTo(2_000_000);
  }

  @Test
  void importAndJudgeDefaults() {
    ImportLabelsOptions imports = ImportLabelsOptions.from(RefineryConfig.defaults());
    assertThat(imports.format()).isEqualTo(ImportFormat.GENERIC);
    assertThat(imports.sourceName()).isEqualTo("generic");
    assertThat(imports.labelsTie()).contains("tie", "0");
    JudgeOptions judge = JudgeOptions.from(RefineryConfig.defaults());
    assertThat(Path.of(judge.principlesFile())).endsWith(Path.of("samples/cai/RLMadisonInstructions.json")).exists();
    assertThat(judge.principles()).isEqualTo(2);
    assertThat(judge.orders()).containsExactly("AB", "BA");
    assertThat(judge.topLogprobs()).isEqualTo(10);
  }

  @Test
  void invalidValuesNameTheKey() {
    assertThatThrownBy(() -> AgreementOptions.from(RefineryConfig.defaults().with("agreement.weight", "votes")))
        .isInstanceOf(RefineryException.class)
        .hasMessage("Invalid config key 'agreement.weight': expected one of agreement-rate, ds-posterior, "
            + "soft-margin, uniform but got 'votes'");
    assertThatThrownBy(() -> AgreementOptions.from(RefineryConfig.defaults().with("agreement.rater-kinds",
        List.of("robot"))))
        .hasMessage("Invalid config key 'agreement.rater-kinds': expected a non-empty list of ai, human but got [robot]");
    assertThatThrownBy(() -> JudgeOptions.from(RefineryConfig.defaults().with("judge.orders", List.of("AB", "AB"))))
        .hasMessageStartingWith("Invalid config key 'judge.orders'");
    assertThatThrownBy(() -> RefineryConfig.defaults().with("agreement.min-agrement", 0.5))
        .hasMessageContaining("did you mean 'agreement.min-agreement'");
  }
}
