package dev.refinery.llm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.core.llm.ChatMessage;
import dev.refinery.core.llm.ChatRequest;
import dev.refinery.core.llm.ChatResponse;
import dev.refinery.core.llm.LlmCallException;
import dev.refinery.core.llm.LlmClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat completions over HTTP against any OpenAI-compatible server ({@code POST {base-url}/chat/completions}):
 * vLLM, TGI, the llama.cpp server, hosted APIs. Calls are asynchronous, at most {@code concurrency} in
 * flight per client; 429, 408, 5xx, timeouts, cut connections and malformed bodies are retried with
 * exponential backoff and jitter, honouring {@code Retry-After}. Other 4xx fail at once.
 *
 * <p>The API key is read from the environment variable named in config when the client is built, sent
 * only in the {@code Authorization} header, and never logged, stored, or put in an error message.
 */
public final class OpenAiCompatibleClient implements LlmClient {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiCompatibleClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_BODY = 300;

  private final URI endpoint;
  private final String model;
  private final String modelId;
  private final RetryPolicy retry;
  private final Duration timeout;
  private final String authorization;
  private final HttpClient http;
  private final AsyncLimiter limiter;

  /** Builds a client from settings; the key comes from the env variable {@code settings.openai().apiKeyEnv()}. */
  public OpenAiCompatibleClient(LlmSettings settings) {
    this(settings.openai().baseUrl(), settings.openai().model(), settings.modelId(), settings.concurrency(),
        settings.retry(), settings.timeout(), System.getenv(settings.openai().apiKeyEnv()));
  }

  /** {@code apiKey} may be null or blank for servers that need none. */
  public OpenAiCompatibleClient(String baseUrl, String model, String modelId, int concurrency, RetryPolicy retry,
      Duration timeout, String apiKey) {
    this.endpoint = URI.create(baseUrl + "/chat/completions");
    this.model = model;
    this.modelId = modelId;
    this.retry = retry;
    this.timeout = timeout;
    this.authorization = apiKey == null || apiKey.isBlank() ? null : "Bearer " + apiKey.trim();
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .build();
    this.limiter = new AsyncLimiter(concurrency);
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    try {
      return chatAsync(request).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmCallException("Cannot call " + endpoint + ": interrupted", 1, true, e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    String body = requestBody(request);
    return limiter.submit(() -> attempt(body, 1));
  }

  private CompletableFuture<ChatResponse> attempt(String body, int attempt) {
    long start = System.nanoTime();
    HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString())
        // The request timeout covers the headers only; this bounds the whole attempt, body included.
        .orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
        .handle((response, error) -> outcome(response, error, attempt, start))
        .thenCompose(outcome -> {
          if (outcome.response != null) {
            return CompletableFuture.completedFuture(outcome.response.withAttempts(attempt));
          }
          LlmCallException failure = outcome.failure;
          if (!failure.retryable() || attempt >= retry.maxAttempts()) {
            return CompletableFuture.failedFuture(failure);
          }
          Duration wait = retry.delay(attempt, outcome.retryAfter, ThreadLocalRandom.current());
          LOG.debug("LLM call attempt {} failed ({}); retrying in {} ms", attempt, failure.getMessage(), wait.toMillis());
          Executor later = CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS);
          return CompletableFuture.supplyAsync(() -> null, later).thenCompose(ignored -> attempt(body, attempt + 1));
        });
  }

  private record Outcome(ChatResponse response, LlmCallException failure, Optional<Duration> retryAfter) {}

  private Outcome outcome(HttpResponse<String> response, Throwable error, int attempt, long start) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      boolean timedOut = cause instanceof HttpTimeoutException || cause instanceof TimeoutException;
      String what = timedOut ? "timed out after " + timeout.toMillis() + " ms" : describe(cause);
      return failed(what, attempt, cause instanceof IOException || timedOut, cause, Optional.empty());
    }
    int status = response.statusCode();
    if (status != 200) {
      boolean retryable = status == 429 || status == 408 || status >= 500;
      String what = "HTTP " + status + ": " + snippet(response.body());
      return failed(what, attempt, retryable, null, retryAfter(response));
    }
    try {
      long latency = (System.nanoTime() - start) / 1_000_000;
      return new Outcome(parse(response.body(), latency), null, Optional.empty());
    } catch (IOException | RuntimeException e) {
      return failed("malformed response body (" + describe(e) + "): " + snippet(response.body()), attempt, true, e,
          Optional.empty());
    }
  }

  private Outcome failed(String what, int attempt, boolean retryable, Throwable cause, Optional<Duration> after) {
    String message = String.format(Locale.ROOT, "Cannot call chat completions at %s: %s (attempt %d of %d)",
        endpoint, what, attempt, retry.maxAttempts());
    return new Outcome(null, new LlmCallException(message, attempt, retryable, cause), after);
  }

  private String requestBody(ChatRequest request) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model);
    ArrayNode messages = root.putArray("messages");
    for (ChatMessage message : request.messages()) {
      messages.addObject().put("role", message.role()).put("content", message.content());
    }
    root.put("temperature", request.temperature());
    root.put("top_p", request.topP());
    root.put("max_tokens", request.maxTokens());
    if (!request.stop().isEmpty()) {
      ArrayNode stop = root.putArray("stop");
      request.stop().forEach(stop::add);
    }
    root.put("seed", request.seed());
    root.put("n", request.n());
    if (request.logprobs()) {
      root.put("logprobs", true);
      root.put("top_logprobs", request.topLogprobs());
    }
    return root.toString();
  }

  private ChatResponse parse(String body, long latencyMillis) throws IOException {
    JsonNode root = JSON.readTree(body);
    JsonNode choicesNode = root == null ? null : root.get("choices");
    if (choicesNode == null || !choicesNode.isArray() || choicesNode.isEmpty()) {
      throw new IOException("no choices");
    }
    List<ChatResponse.Choice> choices = new ArrayList<>();
    for (JsonNode choice : choicesNode) {
      JsonNode message = choice.get("message");
      if (message == null || !message.has("content")) {
        throw new IOException("a choice has no message content");
      }
      String text = message.get("content").isNull() ? "" : message.get("content").asText();
      String finish = choice.path("finish_reason").asText("");
      choices.add(new ChatResponse.Choice(text, finish, logprobs(choice.path("logprobs").path("content"))));
    }
    JsonNode usage = root.path("usage");
    String served = root.path("model").asText(model);
    return new ChatResponse(served, choices, usage.path("prompt_tokens").asInt(0),
        usage.path("completion_tokens").asInt(0), latencyMillis);
  }

  private static List<ChatResponse.TokenLogprob> logprobs(JsonNode content) {
    List<ChatResponse.TokenLogprob> out = new ArrayList<>();
    if (!content.isArray()) {
      return out;
    }
    for (JsonNode token : content) {
      List<ChatResponse.TopLogprob> top = new ArrayList<>();
      for (JsonNode alternative : token.path("top_logprobs")) {
        top.add(new ChatResponse.TopLogprob(alternative.path("token").asText(), alternative.path("logprob").asDouble()));
      }
      out.add(new ChatResponse.TokenLogprob(token.path("token").asText(), token.path("logprob").asDouble(), top));
    }
    return out;
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date. */
  static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(OpenAiCompatibleClient::parseRetryAfter);
  }

  static Optional<Duration> parseRetryAfter(String value) {
    String trimmed = value.trim();
    try {
      return Optional.of(Duration.ofMillis((long) (Double.parseDouble(trimmed) * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (RuntimeException notDate) {
        return Optional.empty();
      }
    }
  }

  private static String snippet(String body) {
    String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
    return oneLine.length() > MAX_ERROR_BODY ? oneLine.substring(0, MAX_ERROR_BODY) + "..." : oneLine;
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static RuntimeException unwrap(Throwable cause) {
    if (cause instanceof LlmCallException e) {
      return e;
    }
    if (cause instanceof RuntimeException e) {
      return e;
    }
    return new LlmCallException("Cannot call chat completions: " + describe(cause), 1, true, cause);
  }

  @Override
  public String toString() {
    return "OpenAiCompatibleClient(" + endpoint + ", model=" + model + ")";
  }
}
