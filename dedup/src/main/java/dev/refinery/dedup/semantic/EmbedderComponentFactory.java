package dev.refinery.dedup.semantic;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.model.EmbedderFactory;
import dev.refinery.core.stage.ComponentFactory;

/** Provides the {@link EmbedderFactory} that stages ask for: MiniLM-L6-v2 from {@code dedup-semantic.*}. */
public final class EmbedderComponentFactory implements ComponentFactory<EmbedderFactory> {
  @Override
  public Class<EmbedderFactory> type() {
    return EmbedderFactory.class;
  }

  /** Texts per embedding call; the stage batches its rows by the same number. */
  static int batchSize(RefineryConfig config) {
    return config.getInt("dedup-semantic.batch-size", 1, 4096);
  }

  @Override
  public EmbedderFactory create(RefineryConfig config) {
    return new MiniLmEmbedderFactory(
        config.getString("dedup-semantic.model"),
        dev.refinery.core.model.ModelPaths.resolve(config.getString("dedup-semantic.model-dir")),
        config.getInt("dedup-semantic.max-tokens", 8, 512),
        batchSize(config),
        config.getInt("dedup-semantic.intra-op-threads", 1, 256));
  }
}
