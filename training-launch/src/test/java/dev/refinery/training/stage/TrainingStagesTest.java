package dev.refinery.training.stage;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.table.TrainingSchemas;
import dev.refinery.core.testing.SharedSpark;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** The training stages end to end on Spark + Delta with the tiny random-weight model. */
class TrainingStagesTest {
  private final SparkSession spark = SharedSpark.session();

  private RefineryConfig config() throws Exception {
    return SharedSpark.config()
        .with("training.model.kind", "tiny")
        .with("training.model.max-length", 48)
        .with("training.model.tiny.hidden-size", 32)
        .with("training.model.tiny.intermediate-size", 64)
        .with("training.train.max-steps", 3)
        .with("training.train.batch-size", 4)
        .with("training.train.gradient-accumulation", 2)
        .with("training.train.checkpoint-every", 2)
        .with("training.train.trainable", "all")
        .with("training.train.checkpoint-root", Files.createTempDirectory("ckpt-").toString())
        .with("ref-logprobs.max-pairs", 10);
  }

  /** 16 exported pairs (12 train, 4 test), as export writes them. */
  private void writeDataset(Lakehouse lakehouse, String table) {
    Random random = new Random(1);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String prompt = "question " + i;
      String chosen = "good " + random.nextInt(1000);
      String rejected = "bad " + random.nextInt(1000);
      rows.add(RowFactory.create(String.format("pair-%02d", i), prompt, chosen, rejected,
          seq(RowFactory.create("user", prompt)), seq(RowFactory.create("assistant", chosen)),
          seq(RowFactory.create("assistant", rejected)), i < 12 ? "train" : "test", 1.0, "test", null,
          seq(RowFactory.create(Tables.PREFERENCE_PAIRS, 0L)), "export-run"));
    }
    lakehouse.overwrite(table, spark.createDataFrame(rows, TrainingSchemas.TRAIN_SET));
  }

  private static scala.collection.immutable.Seq<Row> seq(Row... rows) {
    return CollectionConverters.asScala(List.of(rows)).toList();
  }

  private PipelineRun run(RefineryConfig config, String runId, Stage stage) {
    return new StageRunner(spark, config, new Lakehouse(spark, config), runId).run(stage);
  }

  @Test
  void refLogprobsThenRewardModelAndDpoRunsRecordTrainingRuns() throws Exception {
    RefineryConfig config = config().with("training.train.seeds", List.of(1, 2));
    Lakehouse lakehouse = new Lakehouse(spark, config);
    writeDataset(lakehouse, Tables.DPO_TRAIN);
    writeDataset(lakehouse, Tables.RM_TRAIN);

    PipelineRun ref = run(config, "run-1", new TrainingStageProviders.RefLogprobs().create(config));
    assertThat(ref.result().rowsOut()).isEqualTo(10);
    List<Row> refs = lakehouse.read(Tables.REF_LOGPROBS).collectAsList();
    assertThat(refs).hasSize(10).allSatisfy(r -> {
      assertThat(r.<Double>getAs("chosen_logp")).isNegative();
      assertThat(r.<Long>getAs("dataset_version")).isEqualTo(lakehouse.version(Tables.DPO_TRAIN).getAsLong());
      assertThat(r.<String>getAs("model_id")).startsWith("tiny:");
    });

    PipelineRun rm = run(config, "run-1", new TrainingStageProviders.TrainRm().create(config));
    assertThat(rm.result().rowsOut()).isEqualTo(16);
    PipelineRun dpo = run(config, "run-1", new TrainingStageProviders.TrainDpo().create(config));

    List<Row> runs = lakehouse.read(Tables.TRAINING_RUNS).orderBy("kind", "training_run_id").collectAsList();
    assertThat(runs).hasSize(4);
    for (Row r : runs) {
      assertThat(r.<String>getAs("status")).isEqualTo("succeeded");
      assertThat(r.<List<?>>getAs("steps") == null ? r.getList(r.fieldIndex("steps")) : r.getList(r.fieldIndex("steps")))
          .hasSize(3);
      assertThat(r.<String>getAs("device")).isNotBlank();
      assertThat(r.<String>getAs("checkpoint_uri")).startsWith("file:").contains("step-000003");
      assertThat(r.getJavaMap(r.fieldIndex("final_metrics"))).containsKeys("eval_accuracy", "train_loss",
          "tokens_per_second");
      assertThat(r.getJavaMap(r.fieldIndex("hyper_parameters"))).containsKeys("learning_rate", "seed", "model");
    }
    Row firstDpo = runs.stream().filter(r -> r.getAs("kind").equals("dpo")).findFirst().orElseThrow();
    assertThat(firstDpo.<String>getAs("dataset_table")).isEqualTo("dpo_train");
    assertThat(firstDpo.getJavaMap(firstDpo.fieldIndex("hyper_parameters"))).containsEntry("beta", "0.1");
    // The first DPO step starts at the reference: loss log 2.
    Row step1 = firstDpo.<Row>getList(firstDpo.fieldIndex("steps")).get(0);
    assertThat(step1.<Double>getAs("loss")).isCloseTo(Math.log(2), org.assertj.core.api.Assertions.within(1e-3));

    // Rerunning the same pipeline run resumes each training run from its last checkpoint: no new steps.
    run(config, "run-1", new TrainingStageProviders.TrainRm().create(config));
    Row rerun = lakehouse.read(Tables.TRAINING_RUNS).filter(col("kind").equalTo("rm")).orderBy("training_run_id")
        .head();
    assertThat(rerun.getJavaMap(rerun.fieldIndex("final_metrics"))).containsEntry("resumed_from_step", 3.0);
    assertThat(lakehouse.read(Tables.TRAINING_RUNS).count()).isEqualTo(4);
  }

  @Test
  void rejectsAnUnknownTrainableSetting() throws Exception {
    RefineryConfig config = config().with("training.train.trainable", "everything");
    assertThatThrownBy(() -> new TrainingStageProviders.TrainRm().create(config))
        .isInstanceOf(RefineryException.class)
        .hasMessage("Invalid config key 'training.train.trainable': expected one of head, last-layers, all but got "
            + "'everything'");
  }
}
