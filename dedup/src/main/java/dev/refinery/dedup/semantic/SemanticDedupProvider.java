package dev.refinery.dedup.semantic;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Registers {@code dedup-semantic}. */
public final class SemanticDedupProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return SemanticDedupStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new SemanticDedupStage(SemanticOptions.from(config), EmbedderComponentFactory.batchSize(config));
  }
}
