package dev.refinery.core.model;

import java.io.Serializable;

/** Ships to executors and hands out the executor JVM's embedder, loaded once per JVM. */
public interface EmbedderFactory extends Serializable {
  String modelId();

  Embedder get();
}
