package dev.refinery.training.export;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.PythonHarness;
import dev.refinery.core.testing.HhRlhfPairs;
import dev.refinery.core.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ExportStageTest {
  private final SparkSession spark = SharedSpark.session();

  private RefineryConfig config() {
    return SharedSpark.config();
  }

  private PipelineRun run(RefineryConfig config, String runId, dev.refinery.core.stage.Stage stage) {
    return new StageRunner(spark, config, new Lakehouse(spark, config), runId).run(stage);
  }

  @Test
  void exportsTrlSetsWithAgreementWeightsAndLineage() throws Exception {
    RefineryConfig config = config();
    Lakehouse lakehouse = new Lakehouse(spark, config);
    // Real pairs to export, as import-pairs would write them (it is tested in annotation).
    HhRlhfPairs.write(spark, lakehouse, 60);
    long pairs = lakehouse.read(Tables.PREFERENCE_PAIRS).count();
    assertThat(pairs).isGreaterThan(50);

    // An agreement table that rejects two pairs and down-weights one.
    List<String> ids = lakehouse.read(Tables.PREFERENCE_PAIRS).select("pair_id").orderBy("pair_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    StructType agreementSchema = new StructType().add("pair_id", DataTypes.StringType)
        .add("kept", DataTypes.BooleanType).add("weight", DataTypes.DoubleType);
    Dataset<Row> agreement = spark.createDataFrame(List.of(
        RowFactory.create(ids.get(0), false, 0.0), RowFactory.create(ids.get(1), false, 0.0),
        RowFactory.create(ids.get(2), true, 0.5)), agreementSchema);
    lakehouse.overwrite(Tables.AGREEMENT, agreement);

    PipelineRun exported = run(config, "run-3", new ExportStageProvider().create(config));
    assertThat(exported.result().droppedByReason()).containsEntry("agreement_rejected", 2L);
    assertThat(exported.result().rowsOut()).isEqualTo(pairs - 2);
    Dataset<Row> dpo = lakehouse.read(Tables.DPO_TRAIN);
    assertThat(dpo.count()).isEqualTo(pairs - 2);
    assertThat(lakehouse.read(Tables.RM_TRAIN).count()).isEqualTo(pairs - 2);
    Row weighted = dpo.filter(col("pair_id").equalTo(ids.get(2))).head();
    assertThat(weighted.<Double>getAs("weight")).isEqualTo(0.5);
    Map<String, Long> lineage = weighted.<Row>getList(weighted.fieldIndex("lineage")).stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(lineage).containsOnlyKeys(Tables.PREFERENCE_PAIRS, Tables.AGREEMENT);
    assertThat(lineage.get(Tables.PREFERENCE_PAIRS)).isEqualTo(lakehouse.version(Tables.PREFERENCE_PAIRS).getAsLong());

    // The split is a function of pair_id and seed: a rerun gives the same split, a new seed another.
    Map<String, String> split = splits(dpo);
    assertThat(split.values()).contains("train", "test");
    run(config, "run-4", new ExportStageProvider().create(config));
    assertThat(splits(lakehouse.read(Tables.DPO_TRAIN))).isEqualTo(split);
    RefineryConfig reseeded = config.with("export.split-seed", "other");
    run(reseeded, "run-5", new ExportStageProvider().create(reseeded));
    assertThat(splits(lakehouse.read(Tables.DPO_TRAIN))).isNotEqualTo(split);

    // A TRL user's view: deltalake -> pandas -> datasets.Dataset, both formats.
    run(config, "run-6", new ExportStageProvider().create(config));
    String out = PythonHarness.run(SharedSpark.repoRoot().resolve("python/training/load_trl.py"),
        List.of(lakehouse.location(Tables.DPO_TRAIN)), 300);
    JsonNode loaded = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    assertThat(loaded.get("rows").asLong()).isEqualTo(pairs - 2);
    assertThat(loaded.get("train").asLong() + loaded.get("test").asLong()).isEqualTo(pairs - 2);
    assertThat(loaded.get("train").asLong())
        .isEqualTo(split.values().stream().filter("train"::equals).count());
    assertThat(loaded.get("features").get("prompt").asText()).contains("string");
    assertThat(loaded.get("features").get("chosen").asText()).contains("string");
    assertThat(loaded.get("conversational_shape_ok").asBoolean()).isTrue();
    JsonNode first = loaded.get("first_conversational");
    assertThat(first.get("prompt").get(0).get("role").asText()).isEqualTo("user");
    assertThat(first.get("chosen").get(0).get("role").asText()).isEqualTo("assistant");
    assertThat(loaded.get("weights").toString()).isEqualTo("[0.5,1.0]");
  }

  @Test
  void leavesOutPairsThatDecontaminationDropsAndKeepsFlaggedOnes() {
    RefineryConfig config = config();
    Lakehouse lakehouse = new Lakehouse(spark, config);
    HhRlhfPairs.write(spark, lakehouse, 20);
    long pairs = lakehouse.read(Tables.PREFERENCE_PAIRS).count();
    List<String> ids = lakehouse.read(Tables.PREFERENCE_PAIRS).select("pair_id").orderBy("pair_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    // Two pairs dropped (one matching two eval items), one flagged, and a drop row of another table with a
    // pair's id, which must not touch the pair.
    List<Row> rows = List.of(
        contamination(ids.get(0), Tables.PREFERENCE_PAIRS, "hh-rlhf-harmless-test", "7", "drop"),
        contamination(ids.get(0), Tables.PREFERENCE_PAIRS, "hhh", "3", "drop"),
        contamination(ids.get(1), Tables.PREFERENCE_PAIRS, "hh-rlhf-harmless-test", "9", "drop"),
        contamination(ids.get(2), Tables.PREFERENCE_PAIRS, "hh-rlhf-harmless-test", "11", "flag"),
        contamination(ids.get(3), Tables.INSTRUCTIONS, "hh-rlhf-harmless-test", "12", "drop"));
    lakehouse.overwrite(Tables.CONTAMINATION,
        spark.createDataFrame(rows, dev.refinery.core.table.DecontaminationSchemas.CONTAMINATION));

    PipelineRun exported = run(config, "export-1", new ExportStageProvider().create(config));

    assertThat(exported.result().droppedByReason()).containsExactlyEntriesOf(Map.of("contaminated", 2L));
    assertThat(exported.result().rowsIn()).isEqualTo(pairs);
    assertThat(exported.result().rowsOut()).isEqualTo(pairs - 2);
    List<String> kept = lakehouse.read(Tables.DPO_TRAIN).select("pair_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(kept).hasSize((int) pairs - 2).doesNotContain(ids.get(0), ids.get(1))
        .contains(ids.get(2), ids.get(3));
    assertThat(lakehouse.read(Tables.RM_TRAIN).count()).isEqualTo(pairs - 2);
  }

  private static Row contamination(String rowId, String table, String evalSet, String itemId, String action) {
    return RowFactory.create(rowId, table, "chosen", evalSet, itemId, "a b c d e f g h i j k l m", 1L, action, "r");
  }

  @Test
  void failsNamingTheMissingColumn() {
    StructType schema = new StructType().add("pair_id", DataTypes.StringType).add("prompt", DataTypes.StringType);
    Dataset<Row> pairs = spark.createDataFrame(List.of(RowFactory.create("p", "x")), schema);
    assertThatThrownBy(() -> ExportStage.normalisePairs(pairs))
        .isInstanceOf(RefineryException.class)
        .hasMessage("Cannot export preference_pairs: column chosen is missing (columns: [pair_id, prompt])");
  }

  private static Map<String, String> splits(Dataset<Row> rows) {
    return rows.select("pair_id", "split").collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
  }
}
