package dev.refinery.synthesis.selfinstruct;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;

/** Registers the {@code self-instruct} stage. */
public final class SelfInstructProvider implements StageProvider {
  @Override
  public String name() {
    return SelfInstructStage.NAME;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new SelfInstructStage(SelfInstructOptions.fromConfig(config));
  }
}
