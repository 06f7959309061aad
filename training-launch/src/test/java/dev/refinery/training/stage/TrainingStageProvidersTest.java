package dev.refinery.training.stage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingStageProvidersTest {
  @Test
  void aSeedThatIsNotAnIntegerNamesTheKey() {
    RefineryConfig config = RefineryConfig.defaults().with("training.train.seeds", List.of("x"));

    assertThatThrownBy(() -> new TrainingStageProviders.TrainRm().create(config))
        .hasMessage("Invalid config key 'training.train.seeds': expected a list of integers but got list [\"x\"]");
  }
}
