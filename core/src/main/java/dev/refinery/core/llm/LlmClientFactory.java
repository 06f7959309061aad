package dev.refinery.core.llm;

import java.io.Serializable;

/**
 * Ships to Spark executors inside tasks and hands out the executor JVM's client, built once per JVM (a
 * local model is loaded once per executor, not once per task). Obtain one with
 * {@code context.component(LlmClientFactory.class)}.
 */
public interface LlmClientFactory extends Serializable {
  String modelId();

  LlmClient get();
}
