package dev.refinery.synthesis.cai;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers the {@code cai} stage. */
public final class CaiProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return CaiStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new CaiStage(CaiOptions.fromConfig(config));
  }
}
