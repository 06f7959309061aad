package dev.refinery.synthesis.cai;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.model.ModelPaths;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.PreferenceSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.synthesis.quality.Truncation;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The stage end to end with the real local model on two prompts and one round. SmolLM2-135M runs past
 * {@code cai.initial.max-tokens} on most red-team prompts (the demo's three: 3 of 3 at 96 tokens and at 256), so
 * the run may keep no pair: what it must never do is keep a pair with a cut-off side or a critique as chosen.
 */
class CaiStageTest {
  @Test
  void critiquesAndRevisesIntoPreferencePairsAndReplaysFromTheCache() {
    SparkSession spark = SharedSpark.session();
    RefineryConfig config = SharedSpark.config()
        .with("cai.max-prompts", 2)
        .with("cai.rounds", 1);
    var stage = StageCatalog.discover().resolve(List.of("cai"), config).get(0);

    PipelineRun first = new StageRunner(spark, config, new Lakehouse(spark, config), "run-1").run(stage);

    assertThat(first.result().rowsIn()).isEqualTo(2);
    Lakehouse lakehouse = new Lakehouse(spark, config);
    var pairs = lakehouse.read(Tables.PREFERENCE_PAIRS);
    // Delta reads every column back as nullable: compare names and types.
    assertThat(pairs.schema().simpleString()).isEqualTo(PreferenceSchemas.PREFERENCE_PAIRS.simpleString());
    long dropped = first.result().droppedByReason().values().stream().mapToLong(Long::longValue).sum();
    assertThat(first.result().rowsOut() + dropped).isEqualTo(2);
    assertThat(pairs.count()).isEqualTo(first.result().rowsOut());
    // Every initial answer that ran out of tokens drops its prompt as truncated (initial calls: no system turn).
    List<Row> cutOff = lakehouse.read(Tables.LLM_CALLS).filter(col("finish_reason").equalTo("length"))
        .select("request_json", "response").collectAsList();
    long initialCutOff = cutOff.stream().filter(r -> !r.getString(0).contains("\"role\":\"system\"")).count();
    assertThat(first.result().droppedByReason().getOrDefault("truncated", 0L)).isGreaterThanOrEqualTo(initialCutOff);
    Constitution constitution = Constitution.read(ModelPaths.resolve("samples/cai/CritiqueRevisionInstructions.json"),
        ModelPaths.resolve("samples/cai/CritiqueRevisionFewShotPrompts.json"));
    List<Row> joined = pairs.join(lakehouse.read(Tables.CAI_REVISIONS).select(col("prompt_id").as("origin_id"),
        col("initial_response"), col("final_response"), col("rounds")), "origin_id").collectAsList();
    assertThat(joined).as("pairs with their %s row", Tables.CAI_REVISIONS).hasSize((int) first.result().rowsOut());
    for (Row pair : joined) {
      for (String side : List.of("chosen", "rejected")) {
        assertThat(cutOff).as("%s cut off by max-tokens", side)
            .noneMatch(call -> Truncation.cutOff(call.getString(1), pair.getAs(side), Truncation.LENGTH));
      }
      Row round = pair.<Row>getList(pair.fieldIndex("rounds")).get(0);
      assertThat(CritiqueStyle.isCritique(pair.getAs("chosen"), pair.getAs("prompt"), round.getAs("critique"),
          constitution.principles().stream().filter(p -> p.name().equals(round.getAs("principle"))).findFirst()
              .orElseThrow())).as("chosen is a critique: %s", (Object) pair.getAs("chosen")).isFalse();
      assertThat(pair.<String>getAs("chosen")).isEqualTo(pair.<String>getAs("final_response")).isNotBlank();
      assertThat(pair.<String>getAs("rejected")).isEqualTo(pair.<String>getAs("initial_response")).isNotBlank();
      assertThat(pair.<String>getAs("source")).isEqualTo("cai");
      assertThat(pair.<String>getAs("principle")).isNotBlank();
      assertThat(pair.getList(pair.fieldIndex("rounds"))).hasSize(1);
      assertThat(pair.getList(pair.fieldIndex("prompt_messages"))).hasSize(1);
    }
    // 2 initial + per surviving prompt one critique and one revision.
    assertThat(Long.parseLong(first.result().metrics().get("llm_made"))).isBetween(2L, 6L);

    PipelineRun second = new StageRunner(spark, config, new Lakehouse(spark, config), "run-2").run(stage);

    assertThat(second.result().metrics().get("llm_made")).isEqualTo("0");
    assertThat(second.result().rowsOut()).isEqualTo(first.result().rowsOut());
    assertThat(second.result().droppedByReason()).isEqualTo(first.result().droppedByReason());
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).count()).isEqualTo(first.result().rowsOut());
  }
}
