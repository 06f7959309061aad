package dev.refinery.core.llm;

import dev.refinery.core.testing.PythonHarness;
import dev.refinery.core.testing.SharedSpark;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real OpenAI-compatible server for tests: {@code llama-cpp-python}'s server (python/requirements-synthesis.txt)
 * serving the same SmolLM2 GGUF as the in-process engine, on a free port of 127.0.0.1.
 */
final class LlamaCppServer implements AutoCloseable {
  static final String MODEL_NAME = "smollm2-135m-instruct";

  private final Process process;
  private final int port;

  LlamaCppServer() throws IOException, InterruptedException {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path model = SharedSpark.repoRoot().resolve("models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf");
    Path log = Files.createTempFile("llama-server-", ".log");
    process = new ProcessBuilder(List.of(PythonHarness.python().toString(), "-m", "llama_cpp.server",
        "--model", model.toString(), "--model_alias", MODEL_NAME, "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--n_ctx", "2048", "--n_threads", "2", "--verbose", "False"))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The llama-cpp-python server exited (" + process.exitValue() + "): "
            + Files.readString(log) + "\nInstall it with bin/setup --test (python/requirements-synthesis.txt)");
      }
      try {
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/models"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (models.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("The llama-cpp-python server did not start in 240 s: " + Files.readString(log));
      }
      Thread.sleep(500);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
