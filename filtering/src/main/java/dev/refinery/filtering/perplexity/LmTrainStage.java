package dev.refinery.filtering.perplexity;

import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.table.PerplexitySchemas;
import dev.refinery.core.table.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * {@code lm-train}: estimates a modified Kneser-Ney n-gram model from the reference corpus with Spark,
 * writes it as ARPA and binary under the model directory, and records it in {@code lm_models}. Rows in are
 * corpus lines; rows out are the lines used as sentences; lines without tokens drop as {@code no_tokens}.
 */
public final class LmTrainStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("lm-train")
      .writes(Tables.LM_MODELS).config("lm-train")
      .description("train a modified Kneser-Ney n-gram language model on the reference corpus")
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  private final LmTrainOptions options;

  LmTrainStage(LmTrainOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) {
    LmTrainer.TrainedModel model = new LmTrainer(context.spark(), options).train();
    List<Object> discounts = new ArrayList<>();
    for (double[] d : model.discounts()) {
      discounts.add(new Double[] {d[0], d[1], d[2]});
    }
    Row row = RowFactory.create(model.modelId(), model.arpaPath(), model.binaryPath(), model.order(),
        model.vocabularySize(), Arrays.stream(model.counts()).boxed().toArray(Long[]::new), discounts.toArray(),
        options.corpusPaths().toArray(new String[0]), model.sentences(), model.tokens(), model.seconds(),
        Timestamp.from(Instant.now()), context.runId());
    // Insert-only: model_id is a hash of the corpus and settings, so a retrained model is the same model and its
    // row (with the first training's timing) stays as it was.
    context.lakehouse().insertNew(Tables.LM_MODELS,
        context.spark().createDataFrame(List.of(row), PerplexitySchemas.LM_MODELS), List.of("model_id"));
    return StageResult.builder()
        .rowsIn(model.lines())
        .rowsOut(model.sentences())
        .dropped("no_tokens", model.lines() - model.sentences())
        .metric("model_id", model.modelId())
        .metric("arpa_path", model.arpaPath())
        .metric("vocab_size", model.vocabularySize())
        .metric("ngram_counts", Arrays.toString(model.counts()))
        .metric("discounts", Arrays.deepToString(model.discounts()))
        .metric("tokens", model.tokens())
        .metric("training_seconds", String.format(java.util.Locale.ROOT, "%.2f", model.seconds()))
        .build();
  }
}
