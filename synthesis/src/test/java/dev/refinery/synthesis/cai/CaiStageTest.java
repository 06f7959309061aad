package dev.refinery.synthesis.cai;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.PreferenceSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The stage end to end with the real local model on two prompts and one round. */
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
    assertThat(first.result().rowsOut()).as("pairs written to %s", Tables.PREFERENCE_PAIRS).isPositive();
    assertThat(pairs.count()).isEqualTo(first.result().rowsOut());
    List<Row> joined = pairs.join(lakehouse.read(Tables.CAI_REVISIONS).select(col("prompt_id").as("origin_id"),
        col("initial_response"), col("final_response"), col("rounds")), "origin_id").collectAsList();
    assertThat(joined).as("pairs with their %s row", Tables.CAI_REVISIONS).hasSize((int) first.result().rowsOut());
    for (Row pair : joined) {
      assertThat(pair.<String>getAs("chosen")).isEqualTo(pair.<String>getAs("final_response")).isNotBlank();
      assertThat(pair.<String>getAs("rejected")).isEqualTo(pair.<String>getAs("initial_response")).isNotBlank();
      assertThat(pair.<String>getAs("source")).isEqualTo("cai");
      assertThat(pair.<String>getAs("principle")).isNotBlank();
      assertThat(pair.getList(pair.fieldIndex("rounds"))).hasSize(1);
      assertThat(pair.getList(pair.fieldIndex("prompt_messages"))).hasSize(1);
    }
    // 2 initial + per surviving prompt one critique and one revision.
    assertThat(Long.parseLong(first.result().metrics().get("llm_made"))).isBetween(3L, 6L);

    PipelineRun second = new StageRunner(spark, config, new Lakehouse(spark, config), "run-2").run(stage);

    assertThat(second.result().metrics().get("llm_made")).isEqualTo("0");
    assertThat(second.result().rowsOut()).isEqualTo(first.result().rowsOut());
    assertThat(second.result().droppedByReason()).isEqualTo(first.result().droppedByReason());
    assertThat(lakehouse.read(Tables.PREFERENCE_PAIRS).count()).isEqualTo(first.result().rowsOut());
  }
}
