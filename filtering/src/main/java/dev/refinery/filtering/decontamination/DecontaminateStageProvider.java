package dev.refinery.filtering.decontamination;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers {@code decontaminate}. */
public final class DecontaminateStageProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return DecontaminateStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new DecontaminateStage(DecontaminateOptions.from(config));
  }
}
