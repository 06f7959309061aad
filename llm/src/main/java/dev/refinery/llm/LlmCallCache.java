package dev.refinery.llm;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.Preconditions;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.llm.ChatResponse;
import dev.refinery.core.llm.LlmCallException;
import dev.refinery.core.llm.LlmCallStats;
import dev.refinery.core.llm.LlmClient;
import dev.refinery.core.llm.LlmClientFactory;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.LlmSchemas;
import dev.refinery.core.table.Tables;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memoises LLM calls in the Delta table {@code llm_calls}, so that a rerun pays only for what was never
 * answered. A stage builds a DataFrame of the requests it needs and calls {@link #complete}:
 *
 * <ol>
 *   <li>each row gets {@code request_hash} = hash(model id, request JSON, sample index);</li>
 *   <li>the distinct requests are anti-joined with the {@code ok} rows of the cache;</li>
 *   <li>what is missing is called per partition, at most {@code llm.concurrency} calls in flight per task,
 *       in batches of {@code llm.cache.commit-every} calls; each batch is written to the cache as soon as it
 *       is done (appended when all its keys are new, MERGEd over the failed rows it retries);</li>
 *   <li>before that, every answer is journaled as it arrives ({@link AnswerJournal}): a retried task reuses
 *       what its killed attempt was answered, and a run whose driver was killed has its answers folded into
 *       the cache at the start of the next {@code complete}, so a rerun pays only for the calls in flight;</li>
 *   <li>the answers are joined back onto the input rows as the struct column {@code llm}
 *       ({@link LlmSchemas#RESULT_COLUMNS}).</li>
 * </ol>
 *
 * <p>A call that fails for good (after the client's retries) is recorded with {@code status = failed}, its
 * error and attempts, and is called again on the next run; the failure is a value, never a crash. Sampling
 * is deterministic because the seed is part of the request. The input must not have columns named
 * {@code request_hash} or {@code llm}.
 */
public final class LlmCallCache {
  private static final Logger LOG = LoggerFactory.getLogger(LlmCallCache.class);
  private static final Map<String, LlmProgress> EXECUTOR_PROGRESS = new ConcurrentHashMap<>();

  /**
   * {@code llm.partitions}, {@code llm.cache.commit-every}, {@code llm.progress-interval}, {@code llm.concurrency},
   * {@code llm.cache.journal-interval}.
   */
  public record Options(int partitions, int commitEvery, Duration progressInterval, int concurrency,
      Duration journalInterval) implements Serializable {
    public Options {
      Preconditions.checkArgument(commitEvery >= 1, "Invalid commit-every: %s (must be >= 1)", commitEvery);
      Preconditions.checkArgument(concurrency >= 1, "Invalid concurrency: %s (must be >= 1)", concurrency);
    }

    public static Options fromConfig(RefineryConfig config) {
      return new Options(config.getInt("llm.partitions", 0, 100_000),
          config.getInt("llm.cache.commit-every", 1, 1_000_000), config.getDuration("llm.progress-interval"),
          LlmSettings.fromConfig(config).concurrency(), config.getDuration("llm.cache.journal-interval"));
    }
  }

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private final LlmClientFactory factory;
  private final Options options;
  private final String runId;
  private final String label;
  private final List<LlmCallStats> history = new ArrayList<>();
  private AnswerJournal journal;

  public LlmCallCache(SparkSession spark, Lakehouse lakehouse, LlmClientFactory factory, Options options,
      String runId, String label) {
    this.spark = spark;
    this.lakehouse = lakehouse;
    this.factory = factory;
    this.options = options;
    this.runId = runId;
    this.label = label;
  }

  /** The cache a stage uses: its context's LLM client factory, lakehouse, run id and the {@code llm.*} options. */
  public static LlmCallCache forStage(StageContext context) {
    return new LlmCallCache(context.spark(), context.lakehouse(), context.component(LlmClientFactory.class),
        Options.fromConfig(context.config()), context.runId(), context.stageName());
  }

  public String modelId() {
    return factory.modelId();
  }

  /** The request key: 32 hex characters of SHA-256 over model id, the request as JSON and the sample index. */
  public Column requestHash(Column request, Column sampleIndex) {
    return substring(sha2(concat_ws("\u0000", lit(factory.modelId()), to_json(request), sampleIndex.cast("string")),
        256), 1, 32);
  }

  /**
   * Answers every row of {@code requests} (columns {@code request}, a {@link LlmSchemas#REQUEST} struct, and
   * {@code sample_index}, an int), calling the LLM only for requests not answered before. Returns the input
   * rows with {@code request_hash} and the struct {@code llm} added.
   */
  public Dataset<Row> complete(Dataset<Row> requests, String what) {
    Dataset<Row> keyed = requests.withColumn("request_hash", requestHash(col("request"), col("sample_index")));
    Dataset<Row> distinct = keyed
        .select(col("request_hash"), col("request"), col("sample_index").cast("int").as("sample_index"))
        .dropDuplicates("request_hash");
    lakehouse.createIfAbsent(Tables.LLM_CALLS, LlmSchemas.LLM_CALLS);
    journal().fold(spark, lakehouse);
    Dataset<Row> cached = lakehouse.read(Tables.LLM_CALLS)
        .select(col("request_hash").as("cached_hash"), col("status").as("cached_status"),
            col("attempts").as("prior_attempts"));
    // One pass tells how many requests there are, how many need a call, and whether any of those failed
    // before (they must be MERGEd over their failed row; new keys can simply be appended).
    Dataset<Row> joined = distinct.join(cached, distinct.col("request_hash").equalTo(cached.col("cached_hash")), "left")
        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      Column needsCall = col("cached_status").isNull().or(col("cached_status").notEqual(LlmSchemas.STATUS_OK));
      Row counts = joined.agg(count(lit(1)), sum(when(needsCall, 1).otherwise(0)),
          sum(when(col("cached_status").isNotNull().and(needsCall), 1).otherwise(0))).first();
      long total = counts.getLong(0);
      long toCall = counts.isNullAt(1) ? 0 : counts.getLong(1);
      boolean retriesFailures = !counts.isNullAt(2) && counts.getLong(2) > 0;
      Dataset<Row> missing = joined.filter(needsCall)
          .select(col("request_hash"), col("request"), col("sample_index"),
              when(col("cached_status").isNotNull(), col("prior_attempts")).as("prior_attempts"))
          .withColumn("request_json", to_json(col("request")));
      history.add(callMissing(missing, total, toCall, retriesFailures, what));
    } finally {
      joined.unpersist();
    }
    Dataset<Row> results = lakehouse.read(Tables.LLM_CALLS).select(col("request_hash").as("cached_hash"),
        struct(LlmSchemas.RESULT_COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)).as("llm"));
    return keyed.join(results, keyed.col("request_hash").equalTo(results.col("cached_hash")), "left")
        .drop("cached_hash");
  }

  private AnswerJournal journal() {
    if (journal == null) {
      journal = AnswerJournal.of(spark, lakehouse, options.journalInterval());
    }
    return journal;
  }

  /** The figures of every {@link #complete} call so far, in order. */
  public List<LlmCallStats> history() {
    return List.copyOf(history);
  }

  /** The figures of every {@link #complete} call so far, added up (a stage records them with {@code into}). */
  public LlmCallStats totals() {
    LlmCallStats.Builder totals = LlmCallStats.builder();
    history.forEach(totals::add);
    return totals.build();
  }

  private LlmCallStats callMissing(Dataset<Row> missing, long total, long toCall, boolean retriesFailures,
      String what) {
    String progressLabel = label + " " + what;
    if (toCall == 0) {
      LOG.info("{}: all {} LLM calls answered from {}", progressLabel, total, lakehouse.name(Tables.LLM_CALLS));
      return new LlmCallStats(total, total, 0, 0, 0, 0, 0, 0);
    }
    LOG.info("{}: {} of {} LLM calls not in {}; calling {} ({})", progressLabel, toCall, total,
        lakehouse.name(Tables.LLM_CALLS), factory.modelId(), label);
    int batches = (int) ((toCall + options.commitEvery() - 1) / options.commitEvery());
    int partitions = options.partitions() > 0 ? options.partitions() : spark.sparkContext().defaultParallelism();
    LongAccumulator calls = spark.sparkContext().longAccumulator("llm calls");
    LongAccumulator failures = spark.sparkContext().longAccumulator("llm failures");
    LongAccumulator retries = spark.sparkContext().longAccumulator("llm retries");
    LongAccumulator promptTokens = spark.sparkContext().longAccumulator("llm prompt tokens");
    LongAccumulator tokens = spark.sparkContext().longAccumulator("llm completion tokens");
    LongAccumulator recovered = spark.sparkContext().longAccumulator("llm answers recovered from the journal");
    LlmProgress progress = new LlmProgress(progressLabel, toCall, options.progressInterval());
    String progressId = java.util.UUID.randomUUID().toString();
    CallPartition call = new CallPartition(factory, options, runId, progressId, progressLabel, toCall, calls, failures,
        retries, promptTokens, tokens, recovered, journal(), null);
    ExpressionEncoder<Row> encoder = ExpressionEncoder.apply(LlmSchemas.LLM_CALLS);
    long startNanos = System.nanoTime();
    try {
      for (int batch = 0; batch < batches; batch++) {
        Dataset<Row> slice = batches == 1 ? missing
            : missing.filter(pmod(xxhash64(col("request_hash")), lit(batches)).equalTo(batch));
        long before = calls.value();
        long failedBefore = failures.value();
        long retriesBefore = retries.value();
        long tokensBefore = tokens.value();
        String journalBatch = journal().batch(progressId + "-" + batch);
        Dataset<Row> answers = slice.repartition(partitions).mapPartitions(call.inBatch(journalBatch), encoder);
        try (AnswerJournal.Lease lease = journal().lease(journalBatch)) {
          if (retriesFailures) {
            // Materialise the answers once: the MERGE may read its source twice, and a second read must not
            // call the LLM again.
            lakehouse.upsert(Tables.LLM_CALLS, dev.refinery.core.spark.Checkpoints.of(answers),
                List.of("request_hash"));
          } else {
            // Only new keys (the anti-join above): an append writes them in one pass, far cheaper than a MERGE.
            append(answers);
          }
        }
        journal().deleteBatch(journalBatch);
        progress.add(calls.value() - before, tokens.value() - tokensBefore, retries.value() - retriesBefore,
            failures.value() - failedBefore);
      }
    } finally {
      EXECUTOR_PROGRESS.remove(progressId);
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    if (recovered.value() > 0) {
      LOG.info("{}: {} answer(s) of retried tasks came from the journal, not the model", progressLabel,
          recovered.value());
    }
    return new LlmCallStats(total, total - toCall + recovered.value(), calls.value(), failures.value(),
        retries.value(), promptTokens.value(), tokens.value(), seconds);
  }

  private void append(Dataset<Row> answers) {
    lakehouse.append(Tables.LLM_CALLS, answers);
  }

  /** Calls the LLM for one partition of missing requests; runs on executors. */
  static final class CallPartition
      implements org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final LlmClientFactory factory;
    private final Options options;
    private final String runId;
    private final String progressId;
    private final String progressLabel;
    private final long total;
    private final LongAccumulator calls;
    private final LongAccumulator failures;
    private final LongAccumulator retries;
    private final LongAccumulator promptTokens;
    private final LongAccumulator tokens;
    private final LongAccumulator recovered;
    private final AnswerJournal journal;
    private final String journalBatch;

    CallPartition(LlmClientFactory factory, Options options, String runId, String progressId, String progressLabel,
        long total, LongAccumulator calls, LongAccumulator failures, LongAccumulator retries,
        LongAccumulator promptTokens, LongAccumulator tokens, LongAccumulator recovered, AnswerJournal journal,
        String journalBatch) {
      this.factory = factory;
      this.options = options;
      this.runId = runId;
      this.progressId = progressId;
      this.progressLabel = progressLabel;
      this.total = total;
      this.calls = calls;
      this.failures = failures;
      this.retries = retries;
      this.promptTokens = promptTokens;
      this.tokens = tokens;
      this.recovered = recovered;
      this.journal = journal;
      this.journalBatch = journalBatch;
    }

    /** The same calls, journaled in {@code batch}'s folder. */
    CallPartition inBatch(String batch) {
      return new CallPartition(factory, options, runId, progressId, progressLabel, total, calls, failures, retries,
          promptTokens, tokens, recovered, journal, batch);
    }

    @Override
    public java.util.Iterator<Row> call(java.util.Iterator<Row> rows) throws Exception {
      List<Row> inputs = new ArrayList<>();
      rows.forEachRemaining(inputs::add);
      if (inputs.isEmpty()) {
        return java.util.Collections.emptyIterator();
      }
      // A retried task (its executor died) finds what its earlier attempts were answered.
      Map<String, Row> journaled = journal.answered(journalBatch);
      List<Row> out = new ArrayList<>(inputs.size());
      List<Row> toCall = new ArrayList<>(inputs.size());
      for (Row input : inputs) {
        Row answer = journaled.get(input.getString(input.fieldIndex("request_hash")));
        if (answer != null) {
          out.add(answer);
          recovered.add(1);
        } else {
          toCall.add(input);
        }
      }
      if (toCall.isEmpty()) {
        return out.iterator();
      }
      LlmClient client = factory.get();
      LlmProgress progress = EXECUTOR_PROGRESS.computeIfAbsent(progressId,
          id -> new LlmProgress(progressLabel + " (this JVM)", total, options.progressInterval()));
      int threads = Math.min(options.concurrency(), toCall.size());
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
        Thread thread = new Thread(r, "llm-call");
        thread.setDaemon(true);
        return thread;
      });
      try (AnswerJournal.Writer writer = journal.open(journalBatch)) {
        List<java.util.concurrent.Future<Row>> futures = new ArrayList<>(toCall.size());
        for (Row input : toCall) {
          futures.add(pool.submit(() -> {
            Row answer = callOne(client, input, progress);
            writer.append(answer);
            return answer;
          }));
        }
        for (java.util.concurrent.Future<Row> future : futures) {
          try {
            out.add(future.get());
          } catch (java.util.concurrent.ExecutionException e) {
            // Only Errors and journal write failures get here (callOne turns every exception into a failed row):
            // let the task die, so that Spark retries it.
            if (e.getCause() instanceof Error error) {
              throw error;
            }
            throw new IllegalStateException(e.getCause());
          }
        }
        return out.iterator();
      } finally {
        pool.shutdownNow();
      }
    }

    private Row callOne(LlmClient client, Row input, LlmProgress progress) {
      String hash = input.getString(input.fieldIndex("request_hash"));
      Row requestRow = input.getStruct(input.fieldIndex("request"));
      int sampleIndex = input.getInt(input.fieldIndex("sample_index"));
      String requestJson = input.getString(input.fieldIndex("request_json"));
      int prior = input.isNullAt(input.fieldIndex("prior_attempts")) ? 0
          : input.getInt(input.fieldIndex("prior_attempts"));
      java.sql.Timestamp now = new java.sql.Timestamp(System.currentTimeMillis());
      long start = System.nanoTime();
      try {
        ChatResponse response = client.chat(LlmRequests.fromRow(requestRow));
        ChatResponse.Choice choice = response.choices().isEmpty() ? null : response.choices().get(0);
        calls.add(1);
        retries.add(response.attempts() - 1);
        promptTokens.add(response.promptTokens());
        tokens.add(response.completionTokens());
        progress.record(response.completionTokens(), response.attempts() - 1, false);
        return org.apache.spark.sql.RowFactory.create(hash, client.modelId(), requestJson, sampleIndex,
            LlmSchemas.STATUS_OK, choice == null ? "" : choice.text(), choice == null ? null : choice.finishReason(),
            choice == null ? null : logprobRows(choice.logprobs()), response.promptTokens(),
            response.completionTokens(), response.latencyMillis(), null, prior + response.attempts(), runId, now);
      } catch (RuntimeException e) {
        int attempts = e instanceof LlmCallException failure ? failure.attempts() : 1;
        calls.add(1);
        failures.add(1);
        retries.add(attempts - 1);
        progress.record(0, attempts - 1, true);
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        LOG.warn("LLM call {} failed after {} attempt(s): {}", hash, attempts, message);
        return org.apache.spark.sql.RowFactory.create(hash, client.modelId(), requestJson, sampleIndex,
            LlmSchemas.STATUS_FAILED, null, null, null, null, null, (System.nanoTime() - start) / 1_000_000,
            message.length() > 2000 ? message.substring(0, 2000) : message, prior + attempts, runId, now);
      }
    }

    private static scala.collection.immutable.Seq<Row> logprobRows(List<ChatResponse.TokenLogprob> logprobs) {
      List<Row> rows = new ArrayList<>(logprobs.size());
      for (ChatResponse.TokenLogprob token : logprobs) {
        List<Row> top = new ArrayList<>(token.top().size());
        for (ChatResponse.TopLogprob alternative : token.top()) {
          top.add(org.apache.spark.sql.RowFactory.create(alternative.token(), alternative.logprob()));
        }
        rows.add(org.apache.spark.sql.RowFactory.create(token.token(), token.logprob(),
            scala.jdk.javaapi.CollectionConverters.asScala(top).toList()));
      }
      return scala.jdk.javaapi.CollectionConverters.asScala(rows).toList();
    }
  }
}
