package dev.refinery.synthesis.cai;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;

/** Registers the {@code cai} stage. */
public final class CaiProvider implements StageProvider {
  @Override
  public String name() {
    return CaiStage.NAME;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new CaiStage(CaiOptions.fromConfig(config));
  }
}
