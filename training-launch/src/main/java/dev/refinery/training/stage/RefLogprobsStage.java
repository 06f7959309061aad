package dev.refinery.training.stage;

import static org.apache.spark.sql.functions.col;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.RowsOut;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.table.Tables;
import dev.refinery.core.table.TrainingSchemas;
import dev.refinery.training.train.ReferenceScorer;
import dev.refinery.training.train.TokenizedPair;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * {@code ref-logprobs}: the reference model's summed log-probs of each pair's chosen and rejected responses
 * (TRL's {@code precompute_ref_log_probs} as its own pass), written to {@code ref_logprobs} keyed by
 * ({@code pair_id}, {@code model_id}) with the dataset table and version read. Each partition loads the model once
 * and scores its pairs in batches; partitions run as GPU tasks under {@link GpuScheduling}.
 * Drop reason: {@code over_max_pairs} (pairs beyond {@code max-pairs}, by pair_id).
 */
final class RefLogprobsStage implements Stage {
  static final String NAME = "ref-logprobs";

  static final StageSpec SPEC = StageSpec.builder(NAME)
      // The dataset is configurable (ref-logprobs.dataset): run() checks that the chosen one exists.
      .readsIfPresent(Tables.DPO_TRAIN, Tables.RM_TRAIN).writes(Tables.REF_LOGPROBS)
      .config("training.model", "ref-logprobs")
      .description("reference log-probs of the exported pairs under the reference model")
      .rowsOut(RowsOut.committedTo(Tables.REF_LOGPROBS))
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  private final String dataset;
  private final ModelSettings model;
  private final int batchSize;
  private final int maxPairs;
  private final int partitions;
  private final GpuScheduling.Resources resources;

  RefLogprobsStage(String dataset, ModelSettings model, int batchSize, int maxPairs, int partitions,
      GpuScheduling.Resources resources) {
    this.dataset = dataset;
    this.model = model;
    this.batchSize = batchSize;
    this.maxPairs = maxPairs;
    this.partitions = partitions;
    this.resources = resources;
  }

  @Override
  public StageResult run(StageContext context) {
    Dataset<Row> pairs = context.read(dataset);
    long total = pairs.count();
    Dataset<Row> selected = pairs.select("pair_id", "prompt", "chosen", "rejected").orderBy("pair_id");
    if (maxPairs > 0) {
      selected = selected.limit(maxPairs);
    }
    long version = context.inputVersions().get(dataset);
    String runId = context.runId();
    ModelSettings settings = model;
    int batch = batchSize;
    String datasetName = context.lakehouse().name(dataset);
    JavaRDD<Row> input = GpuScheduling.withGpus(selected.repartition(partitions, col("pair_id")).javaRDD(),
        context.spark(), resources, NAME);
    JavaRDD<Row> scored = input.mapPartitions(rows -> score(rows, settings, batch, datasetName, version, runId));
    Dataset<Row> out = context.spark().createDataFrame(scored, TrainingSchemas.REF_LOGPROBS).cache();
    try {
      long written = out.count();
      context.lakehouse().upsert(Tables.REF_LOGPROBS, out, List.of("pair_id", "model_id"));
      long truncated = out.filter(col("truncated")).count();
      return StageResult.builder().rowsIn(total).rowsOut(written).dropped("over_max_pairs", total - written)
          .metric("model_id", model.modelId()).metric("truncated", truncated).build();
    } finally {
      out.unpersist();
    }
  }

  private static Iterator<Row> score(Iterator<Row> rows, ModelSettings settings, int batchSize, String dataset,
      long version, String runId) {
    List<PairRow> pairs = new ArrayList<>();
    rows.forEachRemaining(r -> pairs.add(new PairRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
        1.0, Double.NaN, Double.NaN)));
    List<Row> out = new ArrayList<>();
    if (pairs.isEmpty()) {
      return out.iterator();
    }
    Device device = GpuScheduling.taskDevice();
    try (NDManager manager = NDManager.newBaseManager(device); ModelSettings.Loaded loaded = settings.load(manager)) {
      List<TokenizedPair> tokenized = pairs.stream().map(p -> p.tokenize(loaded.tokenizer())).toList();
      List<ReferenceScorer.Scores> scores =
          ReferenceScorer.score(loaded.model(), tokenized, batchSize, settings.maxLength());
      for (int i = 0; i < pairs.size(); i++) {
        ReferenceScorer.Scores s = scores.get(i);
        out.add(RowFactory.create(pairs.get(i).pairId(), settings.modelId(), s.chosen(), s.rejected(),
            s.chosenTokens(), s.rejectedTokens(), s.truncated(), dataset, version, runId));
      }
    }
    return out.iterator();
  }
}
