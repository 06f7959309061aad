package dev.refinery.synthesis.selfinstruct;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.synthesis.quality.Truncation;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The stage end to end with the real local model, on the default two rounds of two prompts (seed 42).
 * SmolLM2-135M writes few usable instances: on main the one generated row kept was "Fact check: this is a",
 * the last item of a list cut off by max-tokens, which the truncated gate now drops; so the run may keep
 * only the seeds, and what it must never keep is a cut-off instruction or instance.
 */
class SelfInstructStageTest {
  @Test
  void generatesFiltersAndRecordsInstructionsThenReplaysThemFromTheCache() {
    SparkSession spark = SharedSpark.session();
    RefineryConfig config = SharedSpark.config()
        .with("self-instruct.max-rounds", 2)
        .with("self-instruct.prompts-per-round", 2)
        .with("self-instruct.target-instructions", 6);
    var stage = StageCatalog.discover().resolve(List.of("self-instruct"), config).get(0);

    PipelineRun first = new StageRunner(spark, config, new Lakehouse(spark, config), "run-1").run(stage);

    Lakehouse lakehouse = new Lakehouse(spark, config);
    var table = lakehouse.read(Tables.INSTRUCTIONS);
    assertThat(table.filter(col("origin").equalTo("seed")).count()).isEqualTo(175);
    long generated = table.filter(col("origin").equalTo("generated")).count();
    assertThat(first.result().rowsOut()).isEqualTo(175 + generated);
    // Two prompts of a numbered list give candidates; every one is either kept or dropped with a reason.
    assertThat(first.result().rowsIn()).isGreaterThan(175);
    assertThat(first.result().droppedByReason()).containsKey("truncated");
    List<Row> cutOff = lakehouse.read(Tables.LLM_CALLS).filter(col("finish_reason").equalTo("length"))
        .select("response").collectAsList();
    for (Row row : table.filter(col("origin").equalTo("generated")).collectAsList()) {
      for (String field : List.of("instruction", "input", "output")) {
        assertThat(cutOff).as("%s cut off by max-tokens", field)
            .noneMatch(call -> Truncation.cutOff(call.getString(0), row.getAs(field), Truncation.LENGTH));
      }
      assertThat(row.<Double>getAs("max_rouge_l")).isLessThan(0.7);
      assertThat(row.<String>getAs("output")).isNotBlank();
      assertThat(row.<String>getAs("request_hash")).hasSize(32);
      assertThat(row.<Integer>getAs("round")).isBetween(1, 2);
    }
    assertThat(first.result().metrics().get("llm_made")).isNotEqualTo("0");
    List<String> before = rows(lakehouse);

    PipelineRun second = new StageRunner(spark, config, new Lakehouse(spark, config), "run-2").run(stage);

    assertThat(second.result().metrics().get("llm_made")).isEqualTo("0");
    assertThat(second.result().droppedByReason()).isEqualTo(first.result().droppedByReason());
    assertThat(second.result().rowsOut()).isEqualTo(first.result().rowsOut());
    assertThat(rows(lakehouse)).isEqualTo(before);
  }

  private static List<String> rows(Lakehouse lakehouse) {
    return lakehouse.read(Tables.INSTRUCTIONS).select("instruction_id", "instruction", "input", "output").orderBy(
        "instruction_id").collectAsList().stream().map(Row::toString).collect(Collectors.toList());
  }
}
