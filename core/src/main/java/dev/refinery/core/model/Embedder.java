package dev.refinery.core.model;

import java.util.List;

/** A sentence-embedding model. Thread-safe. Vectors are L2-normalised. */
public interface Embedder extends AutoCloseable {
  String modelId();

  int dimension();

  float[][] embed(List<String> texts);

  @Override
  default void close() {}
}
