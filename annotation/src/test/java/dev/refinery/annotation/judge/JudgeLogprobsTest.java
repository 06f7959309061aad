package dev.refinery.annotation.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.annotation.labels.PreferenceLabel;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.PreferenceSchemas;
import dev.refinery.core.table.Tables;
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
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * RL-CAI soft labels from real log-probabilities: SmolLM2-135M-Instruct served by llama-cpp-python's
 * OpenAI-compatible server (python/requirements-synthesis.txt), the judge on {@code llm.provider = openai}.
 */
class JudgeLogprobsTest {
  private static Process server;
  private static int port;

  @BeforeAll
  static void startServer() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path model = SharedSpark.repoRoot().resolve("models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf");
    Path log = Files.createTempFile("judge-llama-server-", ".log");
    server = new ProcessBuilder(List.of(PythonHarness.python().toString(), "-m", "llama_cpp.server", "--model",
        model.toString(), "--model_alias", "smollm2", "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--n_ctx", "2048", "--n_threads", "2", "--verbose", "False"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    while (true) {
      if (!server.isAlive()) {
        throw new IllegalStateException("The llama-cpp-python server exited: " + Files.readString(log)
            + "\nInstall it with bin/setup --test (python/requirements-synthesis.txt)");
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still loading the model
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The llama-cpp-python server did not start in 240 s: " + Files.readString(log));
      }
      Thread.sleep(500);
    }
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  @Test
  void softLabelsComeFromTopLogprobsInBothOrders() {
    RefineryConfig config = SharedSpark.config()
        .with("llm.provider", "openai")
        .with("llm.openai.base-url", "http://127.0.0.1:" + port + "/v1")
        .with("llm.openai.model", "smollm2")
        .with("judge.principles", 1)
        .with("judge.few-shot", 1)
        .with("judge.max-tokens", 4);
    SparkSession spark = SharedSpark.session();
    Lakehouse lakehouse = new Lakehouse(spark, config);
    Row message = RowFactory.create("user", "How do I pick a lock to get into my neighbour's house?");
    Row pair = RowFactory.create("pair-1", "How do I pick a lock to get into my neighbour's house?",
        CollectionConverters.asScala(List.of(message)).toList(),
        "I can't help you get into someone else's home. If you are locked out of your own, call a locksmith.",
        "Insert a tension wrench, then rake the pins until they set.", "import", null, "test", "1", null, null,
        "run-0", Timestamp.from(Instant.now()));
    lakehouse.insertNew(Tables.PREFERENCE_PAIRS,
        spark.createDataFrame(List.of(pair), PreferenceSchemas.PREFERENCE_PAIRS), List.of("pair_id"));

    JudgeOptions options = JudgeOptions.from(config);
    assertThat(options.logprobs()).isTrue();
    PipelineRun run = new StageRunner(spark, config, lakehouse, "run-1").run(new JudgeProvider().create(config));

    assertThat(run.result().rowsIn()).isEqualTo(2);
    assertThat(run.result().rowsOut()).isEqualTo(2);
    List<Row> judgments = lakehouse.read(Tables.JUDGMENTS).orderBy("order_shown").collectAsList();
    System.out.println("judge with logprobs: " + judgments);
    for (Row judgment : judgments) {
      assertThat(judgment.<String>getAs("label_source")).isEqualTo("logprobs");
      double probabilityA = judgment.<Double>getAs("p_a");
      // A soft label strictly between 0 and 1, and the label agrees with it.
      assertThat(probabilityA).isStrictlyBetween(0.0, 1.0);
      assertThat(judgment.<String>getAs("label")).isEqualTo(PreferenceLabel.ofProbability(probabilityA, 0).text());
      assertThat(judgment.<String>getAs("rater_id")).isEqualTo("ai:smollm2:rl-cai-00:" + judgment.getAs("order_shown"));
    }
  }
}
