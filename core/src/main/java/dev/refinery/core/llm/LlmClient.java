package dev.refinery.core.llm;

import java.util.concurrent.CompletableFuture;

/**
 * A chat LLM. Implementations: an OpenAI-compatible HTTP client (vLLM, TGI, llama.cpp server, hosted APIs)
 * and an in-process llama.cpp engine. Implementations are thread-safe; failures are
 * {@link dev.refinery.core.error.RefineryException}s of type EXTERNAL that say what was being done (an
 * {@link LlmCallException} when the client retried, carrying the number of attempts).
 */
public interface LlmClient extends AutoCloseable {
  /** The model identity recorded in {@code llm_calls} and hashed into the request key. */
  String modelId();

  ChatResponse chat(ChatRequest request);

  /**
   * The same call without blocking the caller. The default runs {@link #chat} on the common pool; the HTTP
   * client overrides it with truly asynchronous I/O.
   */
  default CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return CompletableFuture.supplyAsync(() -> chat(request));
  }

  @Override
  default void close() {}
}
