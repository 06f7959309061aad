package dev.refinery.synthesis.selfinstruct;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers the {@code self-instruct} stage. */
public final class SelfInstructProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return SelfInstructStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new SelfInstructStage(SelfInstructOptions.fromConfig(config));
  }
}
