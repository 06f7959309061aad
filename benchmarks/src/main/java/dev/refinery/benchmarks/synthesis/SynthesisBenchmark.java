package dev.refinery.benchmarks.synthesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.core.config.ConfigLoader;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.llm.ChatMessage;
import dev.refinery.core.llm.ChatRequest;
import dev.refinery.core.llm.ChatResponse;
import dev.refinery.core.llm.LlmClient;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.llm.ConfiguredLlmClientFactory;
import dev.refinery.llm.LlmSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark of the synthesis stages (prints JSON): the {@code cai} stage's generation throughput (completion
 * tokens / stage wall time, Spark jobs and Delta writes included) against the same engine driven by a
 * minimal loop over the very requests the stage made (same prompts, same seeds, so the same tokens); and the
 * drop counts of each self-instruct filter on one run. Arguments are {@code --set key=value} overrides.
 */
public final class SynthesisBenchmark {
  private SynthesisBenchmark() {}

  public static void main(String[] args) throws Exception {
    ConfigLoader loader = new ConfigLoader();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--set")) {
        loader.set(args[i + 1]);
      }
    }
    RefineryConfig config = loader.load().with("lakehouse.root", SharedSpark.newLakehouse().toString());
    SparkSession spark = SharedSpark.session();
    // Load the model once up front: the comparison is about per-call overhead, not the one-time load.
    LlmClient client = new ConfiguredLlmClientFactory(LlmSettings.fromConfig(config)).get();
    client.chat(ChatRequest.of(List.of(ChatMessage.user("Hello")), 1));

    PipelineRun cai = new StageRunner(spark, config, new Lakehouse(spark, config), "bench-cai")
        .run(StageCatalog.discover().resolve(List.of("cai"), config).get(0));
    long stageTokens = Long.parseLong(cai.result().metrics().get("llm_completion_tokens"));
    double stageSeconds = cai.durationMillis() / 1000.0;

    List<ChatRequest> requests = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (Row row : new Lakehouse(spark, config).read(Tables.LLM_CALLS).orderBy("called_at", "request_hash")
        .select("request_json").collectAsList()) {
      requests.add(fromJson(json, row.getString(0)));
    }
    long start = System.nanoTime();
    long loopTokens = 0;
    for (ChatRequest request : requests) {
      ChatResponse response = client.chat(request);
      loopTokens += response.completionTokens();
    }
    double loopSeconds = (System.nanoTime() - start) / 1e9;

    PipelineRun selfInstruct = new StageRunner(spark, config, new Lakehouse(spark, config), "bench-si")
        .run(StageCatalog.discover().resolve(List.of("self-instruct"), config).get(0));

    ObjectNode out = json.createObjectNode();
    out.put("model", client.modelId());
    ObjectNode caiNode = out.putObject("cai");
    caiNode.put("prompts", cai.result().rowsIn());
    caiNode.put("pairs", cai.result().rowsOut());
    caiNode.put("llm_calls", requests.size());
    caiNode.put("stage_seconds", stageSeconds);
    caiNode.put("stage_completion_tokens", stageTokens);
    caiNode.put("stage_tokens_per_second", stageTokens / stageSeconds);
    caiNode.put("direct_loop_seconds", loopSeconds);
    caiNode.put("direct_loop_completion_tokens", loopTokens);
    caiNode.put("direct_loop_tokens_per_second", loopTokens / loopSeconds);
    caiNode.put("ratio_stage_over_direct", (stageTokens / stageSeconds) / (loopTokens / loopSeconds));
    caiNode.putPOJO("dropped", cai.result().droppedByReason());
    ObjectNode si = out.putObject("self_instruct");
    si.put("rows_in", selfInstruct.result().rowsIn());
    si.put("rows_out", selfInstruct.result().rowsOut());
    si.put("stage_seconds", selfInstruct.durationMillis() / 1000.0);
    si.putPOJO("dropped_by_filter", selfInstruct.result().droppedByReason());
    si.putPOJO("metrics", selfInstruct.result().metrics());
    System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    spark.stop();
    // java-llama.cpp's server thread is not a daemon: leave without waiting for it.
    Runtime.getRuntime().halt(0);
  }

  private static ChatRequest fromJson(ObjectMapper json, String text) throws Exception {
    var node = json.readTree(text);
    List<ChatMessage> messages = new ArrayList<>();
    node.path("messages").forEach(m -> messages.add(new ChatMessage(m.path("role").asText(), m.path("content").asText())));
    List<String> stop = new ArrayList<>();
    node.path("stop").forEach(s -> stop.add(s.asText()));
    return new ChatRequest(messages, node.path("temperature").asDouble(), node.path("top_p").asDouble(),
        node.path("max_tokens").asInt(), stop, node.path("seed").asLong(), 1, node.path("logprobs").asBoolean(),
        node.path("top_logprobs").asInt());
  }
}
