package dev.refinery.annotation.judge;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

public final class JudgeProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return JudgeStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    JudgeOptions options = JudgeOptions.from(config);
    return new JudgeStage(options, JudgeStage.loadPrinciples(options));
  }
}
