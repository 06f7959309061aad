package dev.refinery.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.llm.ChatMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A scripted LLM for stage tests: an OpenAI-compatible {@code /v1/chat/completions} endpoint on 127.0.0.1
 * that answers each request with what a script returns for it. Stages reach it through the production
 * wiring ({@code llm.provider = openai}, see {@link #configure}), so the call cache, the HTTP client and its
 * retries run as they do against vLLM; only the model's words are given. This is the seam for testing every
 * branch a stage takes on model output (unparseable answers, filters, failed calls) with exact counts.
 *
 * <p>{@link #fail} answers HTTP 503 every time, so a call fails after {@code llm.max-attempts} (2 here:
 * one retry per failed call); {@link #flaky} answers 503 the first time it sees a request, then the text.
 */
public final class ScriptedLlm implements AutoCloseable {
  /** Tries per call under {@link #configure}: a failed call costs exactly one retry. */
  public static final int MAX_ATTEMPTS = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request as the model sees it. */
  public record Request(List<ChatMessage> messages, long seed) {
    /** The content of the last user turn (what the stage asks now, after any few-shot turns). */
    public String lastUser() {
      for (int i = messages.size() - 1; i >= 0; i--) {
        if (messages.get(i).role().equals("user")) {
          return messages.get(i).content();
        }
      }
      return "";
    }
  }

  /**
   * What the endpoint answers: a text with its finish reason ({@code stop}, or {@code length} for an answer
   * cut off by the token budget), or HTTP 503 ({@code failures} times, forever when negative).
   */
  public record Reply(String text, int failures, String finishReason) {}

  public static Reply text(String text) {
    return new Reply(text, 0, "stop");
  }

  /** {@code text} as an answer that ran out of tokens: finish reason {@code length}. */
  public static Reply truncated(String text) {
    return new Reply(text, 0, "length");
  }

  /** A call that fails for good (HTTP 503 on every attempt). */
  public static Reply fail() {
    return new Reply(null, -1, null);
  }

  /** HTTP 503 on the first attempt, then {@code text}: answered after one retry. */
  public static Reply flaky(String text) {
    return new Reply(text, 1, "stop");
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private final Function<Request, Reply> script;
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong completionTokens = new AtomicLong();

  private ScriptedLlm(Function<Request, Reply> script) throws IOException {
    this.script = script;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.pool = Executors.newFixedThreadPool(4, r -> {
      Thread thread = new Thread(r, "scripted-llm");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(pool);
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  /** Starts the endpoint; {@link #close} stops it. */
  public static ScriptedLlm start(Function<Request, Reply> script) {
    try {
      return new ScriptedLlm(script);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the scripted LLM endpoint", e);
    }
  }

  /** {@code config} with {@code llm.*} pointing at this endpoint: fast retries, {@link #MAX_ATTEMPTS} tries. */
  public RefineryConfig configure(RefineryConfig config) {
    return config
        .with("llm.provider", "openai")
        .with("llm.openai.base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
        .with("llm.openai.model", "scripted")
        .with("llm.openai.api-key-env", "REFINERY_SCRIPTED_LLM_NO_KEY")
        .with("llm.model-id", "scripted")
        .with("llm.max-attempts", MAX_ATTEMPTS)
        .with("llm.initial-backoff", "1ms")
        .with("llm.max-backoff", "1ms")
        .with("llm.jitter", 0.0)
        .with("llm.timeout", "20s");
  }

  /** Every attempt received, in arrival order (retries included). */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Prompt tokens reported over all answered calls (what {@code llm_prompt_tokens} must add up to). */
  public long promptTokensServed() {
    return promptTokens.get();
  }

  /** Completion tokens reported over all answered calls. */
  public long completionTokensServed() {
    return completionTokens.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      JsonNode root = JSON.readTree(body);
      List<ChatMessage> messages = new ArrayList<>();
      for (JsonNode message : root.path("messages")) {
        messages.add(new ChatMessage(message.path("role").asText(), message.path("content").asText()));
      }
      Request request = new Request(List.copyOf(messages), root.path("seed").asLong());
      requests.add(request);
      Reply reply;
      try {
        reply = script.apply(request);
      } catch (RuntimeException e) {
        // Not retried by the client (4xx): a broken script shows as failed calls with this message.
        respond(exchange, 400, "{\"error\":" + JSON.writeValueAsString("script failed: " + e) + "}");
        return;
      }
      int attempt = attempts.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
      if (reply.failures() < 0 || attempt <= reply.failures()) {
        respond(exchange, 503, "{\"error\":\"scripted failure\"}");
        return;
      }
      ObjectNode answer = JSON.createObjectNode();
      answer.put("model", "scripted");
      ObjectNode choice = answer.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", reply.text());
      choice.put("finish_reason", reply.finishReason());
      int promptWords = messages.stream().mapToInt(m -> words(m.content())).sum();
      answer.putObject("usage").put("prompt_tokens", promptWords).put("completion_tokens", words(reply.text()));
      promptTokens.addAndGet(promptWords);
      completionTokens.addAndGet(words(reply.text()));
      respond(exchange, 200, answer.toString());
    }
  }

  /** The token counts the endpoint reports: whitespace-separated words. */
  public static int words(String text) {
    return text == null || text.isBlank() ? 0 : text.strip().split("\\s+").length;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
