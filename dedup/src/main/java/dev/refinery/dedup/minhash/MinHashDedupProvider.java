package dev.refinery.dedup.minhash;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers {@code dedup-minhash}. */
public final class MinHashDedupProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return MinHashDedupStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new MinHashDedupStage(MinHashOptions.from(config));
  }
}
