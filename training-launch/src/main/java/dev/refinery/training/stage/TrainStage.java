package dev.refinery.training.stage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.RowsIn;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.table.Tables;
import dev.refinery.core.table.TrainingSchemas;
import dev.refinery.core.text.StableIds;
import dev.refinery.training.train.TrainingSpec;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code train-rm} and {@code train-dpo}: train a reward model or a DPO policy on the exported set read at the
 * run's pinned version, one Spark task per independent run (seeds; for DPO also betas), each under the GPU
 * {@link GpuScheduling} profile. Every run writes a {@code training_runs} row: dataset table and version,
 * hyper-parameters, per-step loss / accuracy / margin, held-out accuracy, device, duration, checkpoint. The
 * {@code training_run_id} hashes the pipeline run id and the run's settings, so rerunning a failed pipeline run
 * resumes each training run from its last checkpoint.
 *
 * <p>Counts: rows in = pairs in the dataset; out = pairs used (train + held-out); dropped {@code not_selected}.
 */
final class TrainStage implements Stage {
  private static final Logger LOG = LoggerFactory.getLogger(TrainStage.class);

  static final StageSpec RM_SPEC = spec("train-rm", Tables.RM_TRAIN, "reward model (Bradley-Terry) training");
  static final StageSpec DPO_SPEC = StageSpec.builder("train-dpo")
      .reads(Tables.DPO_TRAIN).readsIfPresent(Tables.REF_LOGPROBS).writes(Tables.TRAINING_RUNS)
      .config("training.model", "training.optimizer", "training.train", "train-dpo")
      .description("DPO training against precomputed reference log-probs")
      .rowsIn(RowsIn.table(Tables.DPO_TRAIN))
      .build();

  private static StageSpec spec(String name, String dataset, String description) {
    return StageSpec.builder(name).reads(dataset).writes(Tables.TRAINING_RUNS)
        .config("training.model", "training.optimizer", "training.train", name)
        .description(description).rowsIn(RowsIn.table(dataset)).build();
  }

  private final TrainingSpec.Kind kind;
  private final List<TrainingSpec> specs;
  private final ModelSettings model;
  private final int maxPairs;
  private final int evalPairs;
  private final String checkpointRoot;
  private final GpuScheduling.Resources resources;

  TrainStage(TrainingSpec.Kind kind, List<TrainingSpec> specs, ModelSettings model, int maxPairs, int evalPairs,
      String checkpointRoot, GpuScheduling.Resources resources) {
    this.kind = kind;
    this.specs = List.copyOf(specs);
    this.model = model;
    this.maxPairs = maxPairs;
    this.evalPairs = evalPairs;
    this.checkpointRoot = checkpointRoot;
    this.resources = resources;
  }

  @Override
  public StageSpec spec() {
    return kind == TrainingSpec.Kind.RM ? RM_SPEC : DPO_SPEC;
  }

  private String dataset() {
    return kind == TrainingSpec.Kind.RM ? Tables.RM_TRAIN : Tables.DPO_TRAIN;
  }

  @Override
  public StageResult run(StageContext context) {
    Dataset<Row> pairs = context.read(dataset());
    long total = pairs.count();
    Dataset<Row> withReference = attachReference(context, pairs);
    List<PairRow> train = collect(withReference.filter(col("split").equalTo("train")), maxPairs);
    List<PairRow> eval = collect(withReference.filter(col("split").equalTo("test")), evalPairs);
    if (train.isEmpty()) {
      throw RefineryException.userError("Cannot run %s: %s has no train-split pairs. Run export first", name(),
          context.lakehouse().name(dataset()));
    }
    long version = context.inputVersions().get(dataset());
    List<TrainingRunTask> tasks = new ArrayList<>();
    for (TrainingSpec spec : specs) {
      String id = StableIds.of("training-run", context.runId(), name(), Long.toString(spec.seed()),
          Double.toString(spec.beta()), model.modelId());
      String dir = Path.of(checkpointRoot).toAbsolutePath().resolve(id).toString();
      tasks.add(new TrainingRunTask(id, spec, model, train, eval, dir));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(context.spark().sparkContext());
    JavaRDD<TrainingRunTask> runs = GpuScheduling.withGpus(jsc.parallelize(tasks, tasks.size()), context.spark(),
        resources, name());
    Timestamp started = Timestamp.from(Instant.now());
    List<TrainingRunTask.Outcome> outcomes = runs.map(TrainingRunTask::execute).collect();
    List<Row> rows = new ArrayList<>();
    StageResult.Builder result = StageResult.builder().rowsIn(total).rowsOut(train.size() + eval.size())
        .dropped("not_selected", total - train.size() - eval.size()).metric("runs", outcomes.size());
    List<String> failures = new ArrayList<>();
    for (TrainingRunTask.Outcome o : outcomes) {
      rows.add(row(o, context, version, started));
      o.finalMetrics().forEach((k, v) -> result.metric(o.trainingRunId().substring(0, 8) + "." + k, v));
      if (o.error() != null) {
        failures.add(o.trainingRunId() + ": " + o.error());
      }
      LOG.info("{} run {} ({}) on {}: {} in {} ms, {}", name(), o.trainingRunId(), o.spec().hyperParameters(),
          o.device(), o.status(), o.durationMillis(), o.finalMetrics());
    }
    context.lakehouse().upsert(Tables.TRAINING_RUNS,
        context.spark().createDataFrame(rows, TrainingSchemas.TRAINING_RUNS), List.of("training_run_id"));
    if (!failures.isEmpty()) {
      throw RefineryException.internal("Cannot complete %s: %d of %d runs failed: %s", name(), failures.size(),
          outcomes.size(), failures);
    }
    return result.build();
  }

  private Dataset<Row> attachReference(StageContext context, Dataset<Row> pairs) {
    Dataset<Row> base = pairs.select(col("pair_id"), col("prompt"), col("chosen"), col("rejected"),
        col("weight").cast("double").as("weight"), col("split"));
    if (kind == TrainingSpec.Kind.DPO && context.inputVersions().containsKey(Tables.REF_LOGPROBS)) {
      Dataset<Row> refs = context.read(Tables.REF_LOGPROBS).filter(col("model_id").equalTo(model.modelId()))
          .select(col("pair_id").as("r_pair_id"), col("chosen_logp").as("ref_chosen"),
              col("rejected_logp").as("ref_rejected"));
      return base.join(refs, base.col("pair_id").equalTo(refs.col("r_pair_id")), "left").drop("r_pair_id");
    }
    return base.withColumn("ref_chosen", lit(null).cast("double")).withColumn("ref_rejected", lit(null).cast("double"));
  }

  private java.util.Map<String, String> hyperParameters(TrainingSpec spec) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>(spec.hyperParameters());
    out.put("model", model.modelId());
    out.put("train_pairs_limit", Integer.toString(maxPairs));
    return out;
  }

  private static List<PairRow> collect(Dataset<Row> rows, int limit) {
    Dataset<Row> ordered = rows.orderBy("pair_id");
    if (limit > 0) {
      ordered = ordered.limit(limit);
    }
    return ordered.collectAsList().stream().map(PairRow::of).toList();
  }

  private Row row(TrainingRunTask.Outcome o, StageContext context, long version, Timestamp started) {
    List<Row> steps = o.steps().stream().map(s -> RowFactory.create(s.step(), s.loss(), s.accuracy(), s.margin(),
        s.learningRate(), s.gradNorm())).toList();
    return RowFactory.create(o.trainingRunId(), context.runId(), kind.name().toLowerCase(Locale.ROOT), o.status(),
        context.lakehouse().name(dataset()), version,
        CollectionConverters.asScala(hyperParameters(o.spec())),
        CollectionConverters.asScala(steps).toList(),
        CollectionConverters.asScala(o.finalMetrics()),
        o.device(), o.durationMillis(), o.checkpointUri(), started, o.error());
  }
}
