package dev.refinery.llm;

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
  private final Path log;
  private final int port;

  LlamaCppServer() throws IOException, InterruptedException {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path model = SharedSpark.repoRoot().resolve("models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf");
    log = Files.createTempFile("llama-server-", ".log");
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
        throw new IllegalStateException(deathReport().orElseThrow()
            + "\nInstall it with bin/setup --test (python/requirements-synthesis.txt)");
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

  /**
   * Why the server is gone, if it is: its exit status or the signal that killed it (SIGILL when llama.cpp was
   * built for another CPU), and the tail of its log. Empty while it runs.
   */
  java.util.Optional<String> deathReport() {
    if (process.isAlive()) {
      return java.util.Optional.empty();
    }
    int status = process.exitValue();
    String how = describeExit(status);
    String tail;
    try {
      String text = Files.readString(log);
      tail = text.substring(Math.max(0, text.length() - 4000));
    } catch (IOException e) {
      tail = "(cannot read " + log + ": " + e.getMessage() + ")";
    }
    String hint = status == 128 + 4
        ? "\nSIGILL: llama.cpp was built with instructions this CPU lacks; rebuild it portably with bin/setup --test"
        : "";
    return java.util.Optional.of("The llama-cpp-python server " + how + "; log " + log + ":\n" + tail + hint);
  }

  /** Java reports a process killed by signal N as exit status 128 + N. */
  static String describeExit(int status) {
    return status > 128 ? "was killed by signal " + signalName(status - 128) + " (exit status " + status + ")"
        : "exited with status " + status;
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 4 -> "SIGILL";
      case 6 -> "SIGABRT";
      case 7 -> "SIGBUS";
      case 8 -> "SIGFPE";
      case 9 -> "SIGKILL";
      case 11 -> "SIGSEGV";
      case 15 -> "SIGTERM";
      default -> "signal " + signal;
    };
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
