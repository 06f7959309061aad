package dev.refinery.dedup.semantic;

import dev.refinery.core.model.Embedder;
import dev.refinery.core.model.EmbedderFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serialisable recipe for {@link MiniLmEmbedder}: shipped to executors inside tasks, it hands out one
 * embedder per executor JVM (per distinct settings), loaded on first use and shared by that JVM's tasks.
 */
public final class MiniLmEmbedderFactory implements EmbedderFactory {
  private static final long serialVersionUID = 1L;
  private static final Map<MiniLmEmbedderFactory, MiniLmEmbedder> LOADED = new ConcurrentHashMap<>();

  private final String modelId;
  private final String modelDir;
  private final int maxTokens;
  private final int batchSize;
  private final int intraOpThreads;

  public MiniLmEmbedderFactory(String modelId, Path modelDir, int maxTokens, int batchSize, int intraOpThreads) {
    this.modelId = modelId;
    this.modelDir = modelDir.toAbsolutePath().normalize().toString();
    this.maxTokens = maxTokens;
    this.batchSize = batchSize;
    this.intraOpThreads = intraOpThreads;
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public Embedder get() {
    return LOADED.computeIfAbsent(this,
        f -> new MiniLmEmbedder(modelId, Path.of(modelDir), maxTokens, batchSize, intraOpThreads));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MiniLmEmbedderFactory f && f.modelId.equals(modelId) && f.modelDir.equals(modelDir)
        && f.maxTokens == maxTokens && f.batchSize == batchSize && f.intraOpThreads == intraOpThreads;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(modelId, modelDir, maxTokens, batchSize, intraOpThreads);
  }
}
