package dev.refinery.synthesis;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Not a test (its name keeps it out of the suite): runs {@code cai} and {@code self-instruct} with the demo's
 * defaults on the real model and writes, per stage, the LLM calls by kind and finish reason, the drop
 * reasons and every answer, to {@code synthesis/target/demo-measurement.json}. Overrides: the system property
 * {@code refinery.measure.set} ("key=value,key=value"); {@code refinery.measure.stages} picks the stages. Run with
 * {@code mvn -o -q test -pl synthesis -am -Dtest=SynthesisDemoMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SynthesisDemoMeasurement {
  @Test
  void measure() throws Exception {
    SparkSession spark = SharedSpark.session();
    RefineryConfig config = SharedSpark.config();
    for (String assignment : System.getProperty("refinery.measure.set", "").split(",")) {
      if (!assignment.isBlank()) {
        String[] kv = assignment.split("=", 2);
        config = config.with(kv[0].strip(), kv[1].strip());
      }
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    for (String name : System.getProperty("refinery.measure.stages", "cai,self-instruct").split(",")) {
      RefineryConfig stageConfig = config.with("lakehouse.root", SharedSpark.newLakehouse().toString());
      var stage = StageCatalog.discover().resolve(List.of(name), stageConfig).get(0);
      PipelineRun run = new StageRunner(spark, stageConfig, new Lakehouse(spark, stageConfig), "measure").run(stage);
      ObjectNode node = out.putObject(name);
      node.put("rows_in", run.result().rowsIn());
      node.put("rows_out", run.result().rowsOut());
      node.putPOJO("dropped_by_reason", run.result().droppedByReason());
      node.putPOJO("metrics", run.result().metrics());
      Map<String, Map<String, Integer>> byKind = new TreeMap<>();
      var calls = node.putArray("calls");
      for (Row row : new Lakehouse(spark, stageConfig).read(Tables.LLM_CALLS)
          .select(col("request_json"), col("finish_reason"), col("response"), col("completion_tokens"))
          .orderBy("request_json").collectAsList()) {
        String kind = kind(json, row.getString(0));
        String finish = String.valueOf(row.getString(1));
        byKind.computeIfAbsent(kind, k -> new TreeMap<>()).merge(finish, 1, Integer::sum);
        ObjectNode call = calls.addObject();
        call.put("kind", kind);
        call.put("finish_reason", finish);
        call.put("completion_tokens", row.isNullAt(3) ? 0 : row.getInt(3));
        call.put("response", row.getString(2));
      }
      node.putPOJO("finish_reasons_by_kind", byKind);
      String table = name.equals("cai") ? Tables.PREFERENCE_PAIRS : Tables.INSTRUCTIONS;
      var rows = node.putArray("output");
      var frame = new Lakehouse(spark, stageConfig).read(table);
      if (name.equals("self-instruct")) {
        frame = frame.filter(col("origin").equalTo("generated")).select("instruction", "input", "output");
      } else {
        frame = frame.select("prompt", "chosen", "rejected");
      }
      for (Row row : frame.collectAsList()) {
        rows.add(row.mkString(" ||| "));
      }
    }
    Path file = SharedSpark.repoRoot().resolve("synthesis/target/demo-measurement.json");
    Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
  }

  private static String kind(ObjectMapper json, String requestJson) throws Exception {
    var messages = json.readTree(requestJson).path("messages");
    String last = messages.path(messages.size() - 1).path("content").asText();
    if (last.startsWith("RevisionRequest:")) {
      return "cai/revision";
    }
    if (last.contains("CritiqueRequest:")) {
      return "cai/critique";
    }
    if (last.startsWith("Come up with a series")) {
      return "self-instruct/generate";
    }
    if (last.startsWith("Can the following task")) {
      return "self-instruct/classify";
    }
    if (last.startsWith("Come up with examples") || last.startsWith("Given the classification")) {
      return "self-instruct/instances";
    }
    return messages.size() == 1 ? "cai/initial" : "other";
  }
}
