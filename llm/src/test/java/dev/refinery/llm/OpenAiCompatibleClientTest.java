package dev.refinery.llm;
import static dev.refinery.llm.FaultInjectingProxy.Fault.BAD_REQUEST;
import static dev.refinery.llm.FaultInjectingProxy.Fault.CUT;
import static dev.refinery.llm.FaultInjectingProxy.Fault.HANG;
import static dev.refinery.llm.FaultInjectingProxy.Fault.MALFORMED;
import static dev.refinery.llm.FaultInjectingProxy.Fault.PASS;
import static dev.refinery.llm.FaultInjectingProxy.Fault.SERVER_ERROR;
import static dev.refinery.llm.FaultInjectingProxy.Fault.TOO_MANY_REQUESTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.llm.ChatMessage;
import dev.refinery.core.llm.ChatRequest;
import dev.refinery.core.llm.ChatResponse;
import dev.refinery.core.llm.LlmCallException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The HTTP client against a real OpenAI-compatible server (llama-cpp-python serving the SmolLM2 GGUF) behind
 * a fault-injecting proxy: 429s, 500s, timeouts, cut connections and malformed bodies.
 */
class OpenAiCompatibleClientTest {
  private static LlamaCppServer server;
  private static FaultInjectingProxy proxy;

  /** A test that failed because the server died reports the death (signal, log), not the client's parse error. */
  @RegisterExtension
  static final TestExecutionExceptionHandler SERVER_DEATH = (context, failure) -> {
    if (server != null && server.deathReport().isPresent()) {
      throw new IllegalStateException(server.deathReport().get(), failure);
    }
    throw failure;
  };

  @BeforeAll
  static void start() throws Exception {
    server = new LlamaCppServer();
    proxy = new FaultInjectingProxy(URI.create(server.baseUrl() + "/"));
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void resetProxy() {
    proxy.reset();
  }

  private static OpenAiCompatibleClient client(int maxAttempts, Duration timeout, String apiKey) {
    return new OpenAiCompatibleClient(proxy.baseUrl(), LlamaCppServer.MODEL_NAME, "smollm2-test", 2,
        new RetryPolicy(maxAttempts, Duration.ofMillis(50), Duration.ofSeconds(2), 0.5), timeout, apiKey);
  }

  private static ChatRequest request(String question) {
    return new ChatRequest(List.of(ChatMessage.user(question)), 0.7, 0.95, 8, List.of(), 42, 1, false, 0);
  }

  @Test
  void answersThroughTheRealServer() {
    ChatResponse response = client(1, Duration.ofSeconds(60), null).chat(request("What is the capital of France?"));

    assertThat(response.text()).isNotBlank();
    assertThat(response.completionTokens()).isBetween(1, 8);
    assertThat(response.promptTokens()).isGreaterThan(5);
    assertThat(response.choices().get(0).finishReason()).isIn("stop", "length");
    assertThat(response.attempts()).isEqualTo(1);
    assertThat(proxy.authorizations).containsExactly("");
  }

  @Test
  void returnsLogprobsFromTheServer() {
    ChatRequest request = new ChatRequest(List.of(ChatMessage.user("Answer A or B.")), 0.0, 1.0, 2, List.of(), 1, 1,
        true, 3);

    ChatResponse response = client(1, Duration.ofSeconds(60), null).chat(request);

    assertThat(response.choices().get(0).logprobs()).isNotEmpty();
    assertThat(response.choices().get(0).logprobs().get(0).top()).hasSizeBetween(1, 3);
  }

  @Test
  void retriesA429AfterItsRetryAfter() {
    proxy.script(TOO_MANY_REQUESTS, PASS);
    long start = System.nanoTime();

    ChatResponse response = client(4, Duration.ofSeconds(60), null).chat(request("Say hi."));

    assertThat(response.attempts()).isEqualTo(2);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void retriesServerErrorsMalformedBodiesAndCutConnections() {
    proxy.script(SERVER_ERROR, MALFORMED, CUT, PASS);

    ChatResponse response = client(4, Duration.ofSeconds(60), null).chat(request("Say hi."));

    assertThat(response.text()).isNotBlank();
    assertThat(response.attempts()).isEqualTo(4);
    assertThat(proxy.requests.get()).isEqualTo(4);
  }

  @Test
  void retriesATimedOutCall() {
    proxy.script(HANG, PASS);

    ChatResponse response = client(3, Duration.ofSeconds(3), null).chat(request("Say hi."));

    assertThat(response.attempts()).isEqualTo(2);
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastError() {
    proxy.script(SERVER_ERROR, SERVER_ERROR, SERVER_ERROR);

    assertThatThrownBy(() -> client(3, Duration.ofSeconds(60), null).chat(request("Say hi.")))
        .isInstanceOfSatisfying(LlmCallException.class, e -> {
          assertThat(e.attempts()).isEqualTo(3);
          assertThat(e.retryable()).isTrue();
        })
        .hasMessageStartingWith("Cannot call chat completions at " + proxy.baseUrl() + "/chat/completions: HTTP 500")
        .hasMessageEndingWith("(attempt 3 of 3)");
  }

  @Test
  void doesNotRetryAClientErrorAndNeverShowsTheKey() {
    proxy.script(BAD_REQUEST);

    assertThatThrownBy(() -> client(4, Duration.ofSeconds(60), "sk-test-secret").chat(request("Say hi.")))
        .isInstanceOfSatisfying(LlmCallException.class, e -> {
          assertThat(e.attempts()).isEqualTo(1);
          assertThat(e.retryable()).isFalse();
        })
        .hasMessageContaining("HTTP 400")
        .message().doesNotContain("sk-test-secret");
    assertThat(proxy.authorizations).containsExactly("Bearer sk-test-secret");
    assertThat(client(1, Duration.ofSeconds(1), "sk-test-secret").toString()).doesNotContain("sk-test-secret");
  }

  @Test
  void boundsTheCallsInFlight() {
    proxy.passDelay(Duration.ofMillis(300));
    OpenAiCompatibleClient client = client(1, Duration.ofSeconds(120), null);
    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(client.chatAsync(request("Count to " + i)));
    }

    calls.forEach(CompletableFuture::join);

    assertThat(proxy.requests.get()).isEqualTo(6);
    assertThat(proxy.maxInFlight.get()).isEqualTo(2);
  }

  @Test
  void backsOffExponentiallyWithJitterAndHonoursRetryAfter() {
    RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), 0.5);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 50; i++) {
      assertThat(policy.delay(1, Optional.empty(), random).toMillis()).isBetween(50L, 100L);
      assertThat(policy.delay(3, Optional.empty(), random).toMillis()).isBetween(200L, 400L);
      assertThat(policy.delay(10, Optional.empty(), random).toMillis()).isBetween(500L, 1000L);
    }
    assertThat(policy.delay(1, Optional.of(Duration.ofMillis(700)), random).toMillis()).isEqualTo(700);
    assertThat(policy.delay(1, Optional.of(Duration.ofSeconds(30)), random).toMillis()).isEqualTo(1000);
    assertThat(OpenAiCompatibleClient.parseRetryAfter("2")).contains(Duration.ofSeconds(2));
    assertThat(OpenAiCompatibleClient.parseRetryAfter("soon")).isEmpty();
  }
}
