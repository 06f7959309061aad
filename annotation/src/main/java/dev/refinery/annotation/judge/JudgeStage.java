package dev.refinery.annotation.judge;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import dev.refinery.annotation.labels.Judgment;
import dev.refinery.annotation.labels.PreferenceLabel;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.llm.ChatMessage;
import dev.refinery.core.llm.ChatRequest;
import dev.refinery.core.llm.ChatResponse.TokenLogprob;
import dev.refinery.core.llm.ChatResponse.TopLogprob;
import dev.refinery.core.llm.LlmFailures;
import dev.refinery.core.stage.ReasonCounts;
import dev.refinery.core.stage.ReasonTally;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.table.AnnotationSchemas;
import dev.refinery.core.table.LlmSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.llm.LlmCallCache;
import dev.refinery.llm.LlmRequests;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code judge}: RL-CAI AI feedback. Every preference pair is compared by the configured model under K
 * principles, each in both presentation orders; every (model, principle, order) is one rater in
 * {@code judgments}. The label and p(A) come from the top log-probabilities of the answer token; where the
 * engine gives none, from the answer text, recorded as {@code parsed-text}. Calls are memoised in
 * {@code llm_calls} ({@link LlmCallCache}), so a rerun calls only what was never answered.
 *
 * <p>Counts: rows in = comparisons (pairs x principles x orders); rows out = judgments; a comparison whose
 * calls all failed is dropped as {@link LlmFailures#DROP_REASON} (its {@code llm_calls} rows keep the error),
 * one whose answer names neither option is quarantined with the answer.
 */
public final class JudgeStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("judge")
      .reads(Tables.PREFERENCE_PAIRS).writes(Tables.JUDGMENTS, Tables.LLM_CALLS).config("judge").usesLlm()
      .description("RL-CAI multiple-choice comparisons per principle, in both orders")
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  static final StructType REQUESTS = new StructType()
      .add("pair_id", DataTypes.StringType, false)
      .add("principle", DataTypes.StringType, false)
      .add("order_shown", DataTypes.StringType, false)
      .add("request", LlmSchemas.REQUEST, false)
      .add("sample_index", DataTypes.IntegerType, false);

  /**
   * One comparison's outcome: a judgment row, a drop reason, or a quarantine row (source, position, reason,
   * raw).
   */
  static final StructType OUTCOMES = new StructType()
      .add("judgment", AnnotationSchemas.JUDGMENTS, true)
      .add("drop_reason", DataTypes.StringType, true)
      .add("source", DataTypes.StringType, true)
      .add("position", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, true)
      .add("raw", DataTypes.StringType, true);

  private final JudgeOptions options;
  private final Principles principles;

  public JudgeStage(JudgeOptions options, Principles principles) {
    this.options = options;
    this.principles = principles;
  }

  @Override
  public StageResult run(StageContext context) {
    LlmCallCache cache = LlmCallCache.forStage(context);
    String model = cache.modelId();
    Dataset<Row> pairs = context.read(Tables.PREFERENCE_PAIRS);
    if (!options.sources().isEmpty()) {
      pairs = pairs.filter(col("source").isin(options.sources().toArray()));
    }
    if (options.maxPairs() > 0) {
      pairs = pairs.orderBy("pair_id").limit((int) Math.min(Integer.MAX_VALUE, options.maxPairs()));
    }
    int k = options.principles() == 0 ? principles.principles().size()
        : Math.min(options.principles(), principles.principles().size());
    // Copies: the sub-list views are not serializable, and the closure below ships to executors.
    List<Principles.Example> shots = new ArrayList<>(principles.examples()
        .subList(0, Math.min(options.fewShot(), principles.examples().size())));
    List<String> chosenPrinciples = new ArrayList<>(principles.principles().subList(0, k));
    JudgeOptions opts = options;
    FlatMapFunction<Row, Row> expand = pair -> comparisons(pair, chosenPrinciples, shots, opts).iterator();
    Dataset<Row> requests = pairs.select("pair_id", "prompt", "prompt_messages", "chosen", "rejected")
        .flatMap(expand, Encoders.row(REQUESTS));

    Dataset<Row> answered = cache.complete(requests, "comparisons")
        .groupBy("pair_id", "principle", "order_shown")
        .agg(sort_array(collect_list(struct(col("sample_index"), col("request_hash"), col("llm")))).as("answers"));
    String runId = context.runId();
    Timestamp now = Timestamp.from(Instant.now());
    double tieMargin = options.tieMargin();
    Dataset<Row> outcomes = answered
        .map((MapFunction<Row, Row>) row -> outcome(row, model, tieMargin, runId, now), Encoders.row(OUTCOMES))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> judgments = outcomes.filter(col("judgment").isNotNull()).select("judgment.*");
      context.lakehouse().upsert(Tables.JUDGMENTS, judgments, List.of("pair_id", "rater_id"));
      Column isQuarantined = col("reason").isNotNull();
      Dataset<Row> bad = outcomes.filter(isQuarantined).select("source", "position", "reason", "raw");
      long quarantined = bad.count();
      if (quarantined > 0) {
        context.quarantine(bad);
      }
      ReasonTally tally = new ReasonTally()
          .addAll(ReasonCounts.count(outcomes.filter(not(isQuarantined)), "drop_reason"))
          .quarantine(quarantined);
      long fromLogprobs = judgments.filter(col("label_source").equalTo(AnswerParser.LOGPROBS)).count();
      StageResult.Builder result = tally.into(StageResult.builder())
          .metric("model", model)
          .metric("principles", k)
          .metric("judgments_from_logprobs", fromLogprobs)
          .metric("judgments_from_parsed_text", tally.kept() - fromLogprobs);
      return cache.totals().into(result).build();
    } finally {
      outcomes.unpersist(false);
    }
  }

  /** The comparisons of one pair: every chosen principle in every order. */
  static List<Row> comparisons(Row pair, List<String> principleTexts, List<Principles.Example> shots,
      JudgeOptions options) {
    String pairId = pair.getString(0);
    List<ChatMessage> messages = new ArrayList<>();
    if (!pair.isNullAt(2)) {
      for (Row message : pair.<Row>getList(2)) {
        messages.add(new ChatMessage(message.getString(0), message.getString(1)));
      }
    }
    String conversation = ComparisonPrompt.conversation(pair.getString(1), messages);
    String chosen = pair.getString(3);
    String rejected = pair.getString(4);
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < principleTexts.size(); p++) {
      for (String order : options.orders()) {
        boolean chosenFirst = order.equals("AB");
        List<ChatMessage> prompt = ComparisonPrompt.messages(conversation, principleTexts.get(p),
            chosenFirst ? chosen : rejected, chosenFirst ? rejected : chosen, shots);
        // One greedy call with log-probabilities; without them, `samples` sampled answers (the seed differs
        // per sample through sample_index, which the call cache hashes into the request key).
        boolean greedy = options.logprobs() || options.samples() == 1;
        int samples = options.logprobs() ? 1 : options.samples();
        for (int sample = 0; sample < samples; sample++) {
          ChatRequest request = new ChatRequest(prompt, greedy ? 0.0 : options.temperature(), 1.0,
              options.maxTokens(), List.of(), options.seed() + sample, 1, options.logprobs(),
              options.logprobs() ? options.topLogprobs() : 0);
          rows.add(RowFactory.create(pairId, Principles.id(p), order, LlmRequests.toRow(request), sample));
        }
      }
    }
    return rows;
  }

  /**
   * Turns one comparison's answers (one, or several samples) into a judgment in the stored orientation
   * (A = chosen), a drop ({@link LlmFailures#DROP_REASON}: no call was answered) or a quarantine record. With
   * log-probabilities p(first) is their soft label (averaged over samples); otherwise the share of parseable
   * answers that chose the first option, recorded as {@code parsed-text}.
   */
  static Row outcome(Row row, String model, double tieMargin, String runId, Timestamp now) {
    String pairId = row.getAs("pair_id");
    String principle = row.getAs("principle");
    String order = row.getAs("order_shown");
    List<Row> answers = row.getList(row.fieldIndex("answers"));
    String position = pairId + " " + principle + " " + order;
    String requestHash = answers.isEmpty() ? null : answers.get(0).getString(1);
    double fromLogprobs = 0;
    int logprobCount = 0;
    double fromText = 0;
    int textCount = 0;
    String firstText = null;
    boolean answered = false;
    for (Row answer : answers) {
      Row llm = answer.getStruct(2);
      if (LlmFailures.failed(llm)) {
        continue;
      }
      answered = true;
      String text = llm.getAs("response");
      firstText = firstText == null ? text : firstText;
      Optional<AnswerParser.Answer> parsed = AnswerParser.parse(text, tokens(llm));
      if (parsed.isPresent() && parsed.get().source().equals(AnswerParser.LOGPROBS)) {
        fromLogprobs += parsed.get().probabilityFirst();
        logprobCount++;
      } else if (parsed.isPresent()) {
        fromText += parsed.get().probabilityFirst();
        textCount++;
      }
    }
    if (logprobCount + textCount == 0) {
      return !answered
          ? RowFactory.create(null, LlmFailures.DROP_REASON, null, null, null, null)
          : RowFactory.create(null, null, "judge", position, "unparseable-answer: neither (A) nor (B)", firstText);
    }
    boolean soft = logprobCount > 0;
    double first = soft ? fromLogprobs / logprobCount : fromText / textCount;
    double probabilityA = order.equals("AB") ? first : 1 - first;
    PreferenceLabel label = PreferenceLabel.ofProbability(probabilityA, tieMargin);
    String group = "ai:" + model + ":" + principle;
    String raw = firstText == null || firstText.length() <= 200 ? firstText : firstText.substring(0, 200);
    Judgment judgment = new Judgment(pairId, group + ":" + order, Judgment.AI, group, label, probabilityA, order,
        soft ? AnswerParser.LOGPROBS : AnswerParser.PARSED_TEXT, model, principle, requestHash, raw, "judge");
    return RowFactory.create(judgment.toRow(runId, now), null, null, null, null, null);
  }

  private static List<TokenLogprob> tokens(Row llm) {
    int index = llm.fieldIndex("logprobs");
    if (llm.isNullAt(index)) {
      return List.of();
    }
    List<TokenLogprob> tokens = new ArrayList<>();
    for (Row token : llm.<Row>getList(index)) {
      List<TopLogprob> top = new ArrayList<>();
      if (!token.isNullAt(2)) {
        for (Row alternative : token.<Row>getList(2)) {
          if (alternative != null && !alternative.isNullAt(0) && !alternative.isNullAt(1)) {
            top.add(new TopLogprob(alternative.getString(0), alternative.getDouble(1)));
          }
        }
      }
      tokens.add(new TokenLogprob(token.isNullAt(0) ? "" : token.getString(0),
          token.isNullAt(1) ? Double.NaN : token.getDouble(1), top));
    }
    return tokens;
  }

  /** Checked once at creation: the principle files exist and parse. */
  static Principles loadPrinciples(JudgeOptions options) {
    java.nio.file.Path principlesFile = java.nio.file.Path.of(options.principlesFile());
    java.nio.file.Path fewShotFile = java.nio.file.Path.of(options.fewShotFile());
    if (!java.nio.file.Files.isRegularFile(principlesFile)) {
      throw RefineryException.userError("Cannot read judge.principles-file %s: no such file",
          options.principlesFile());
    }
    if (!java.nio.file.Files.isRegularFile(fewShotFile)) {
      throw RefineryException.userError("Cannot read judge.few-shot-file %s: no such file", options.fewShotFile());
    }
    return Principles.load(principlesFile, fewShotFile);
  }
}
