package dev.refinery.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on 127.0.0.1 in front of a real OpenAI-compatible server that misbehaves on cue: each request
 * takes the next {@link Fault} from a script (then {@link Fault#PASS} when the script is empty). It records
 * the Authorization headers it saw and the highest number of requests in flight at once.
 */
final class FaultInjectingProxy implements AutoCloseable {
  enum Fault {
    /** Forward to the real server. */
    PASS,
    /** 429 with {@code Retry-After: 1}. */
    TOO_MANY_REQUESTS,
    /** 500 with an error body. */
    SERVER_ERROR,
    /** 400: a client error that must not be retried. */
    BAD_REQUEST,
    /** Never answer (until the client gives up). */
    HANG,
    /** Close the connection without an answer. */
    CUT,
    /** 200 with a body that is not a chat completion. */
    MALFORMED
  }

  private final HttpServer server;
  private final URI upstream;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ConcurrentLinkedQueue<Fault> script = new ConcurrentLinkedQueue<>();
  final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile long passDelayMillis;

  FaultInjectingProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    this.server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "fault-proxy");
      thread.setDaemon(true);
      return thread;
    }));
    this.server.createContext("/", this::handle);
    this.server.start();
  }

  /** Base URL to give the client, up to /v1. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  void script(Fault... faults) {
    script.clear();
    script.addAll(List.of(faults));
  }

  /** Holds every forwarded request this long first (to observe concurrency). */
  void passDelay(Duration delay) {
    passDelayMillis = delay.toMillis();
  }

  void reset() {
    script.clear();
    authorizations.clear();
    requests.set(0);
    maxInFlight.set(0);
    passDelayMillis = 0;
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    requests.incrementAndGet();
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(authorization == null ? "" : authorization);
      Fault fault = script.poll();
      switch (fault == null ? Fault.PASS : fault) {
        case PASS -> forward(exchange, body);
        case TOO_MANY_REQUESTS -> {
          exchange.getResponseHeaders().add("Retry-After", "1");
          respond(exchange, 429, "{\"error\":{\"message\":\"rate limited\"}}");
        }
        case SERVER_ERROR -> respond(exchange, 500, "{\"error\":{\"message\":\"boom\"}}");
        case BAD_REQUEST -> respond(exchange, 400, "{\"error\":{\"message\":\"bad request\"}}");
        case HANG -> {
          sleep(30_000);
          exchange.close();
        }
        case CUT -> { } // closed below without a response: the client sees the connection drop
        case MALFORMED -> respond(exchange, 200, "{\"choices\": [ this is not json");
      }
    } finally {
      inFlight.decrementAndGet();
      exchange.close();
    }
  }

  private void forward(HttpExchange exchange, byte[] body) throws IOException {
    sleep(passDelayMillis);
    HttpRequest request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().getPath()))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      respond(exchange, response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
