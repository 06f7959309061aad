package dev.refinery.annotation.agreement;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.struct;

import dev.refinery.annotation.labels.PreferenceLabel;
import dev.refinery.annotation.metrics.DawidSkene;
import dev.refinery.core.stage.ReasonCounts;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.table.AnnotationSchemas;
import dev.refinery.core.table.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * {@code agreement}: judgments -> {@code agreement} (one row per pair: counts, aggregated label, agreement
 * rate, entropy, soft score, Dawid-Skene posterior, kept / reason, weight) and one
 * {@code agreement_summary} row per run (Cohen's kappa matrix, Fleiss' kappa, Krippendorff's alpha at four
 * levels with Poisson-bootstrap intervals, Dawid-Skene rater quality, position and length bias).
 *
 * <p>Spark work: one shuffle groups judgments by pair into compact {@link Unit}s (cached); one
 * {@code treeAggregate} fills every dataset metric's mergeable state, bootstrap replicates included; one
 * aggregate per EM iteration fits Dawid-Skene; one map writes the pairs. Rows in = pairs judged; rows out =
 * kept pairs; the rest are dropped by reason (all pairs are written, with {@code kept} false).
 */
public final class AgreementStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("agreement")
      .reads(Tables.JUDGMENTS).readsIfPresent(Tables.PREFERENCE_PAIRS)
      .writes(Tables.AGREEMENT, Tables.AGREEMENT_SUMMARY).config("agreement")
      .description("agreement metrics and the agreement gate over the judgments")
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  private final AgreementOptions options;

  public AgreementStage(AgreementOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) {
    Timestamp now = Timestamp.from(Instant.now());
    Dataset<Row> judgments = context.read(Tables.JUDGMENTS)
        .filter(col("rater_kind").isin(options.raterKinds().toArray()));

    List<Row> raterRows = judgments.groupBy("rater_id")
        .agg(first("rater_group").as("rater_group"), first("rater_kind").as("rater_kind"))
        .orderBy("rater_id").collectAsList();
    List<String> raters = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    Map<String, Integer> raterIndex = new HashMap<>();
    Map<String, Integer> groupIndex = new HashMap<>();
    int[] groupOfRater = new int[raterRows.size()];
    for (Row row : raterRows) {
      raterIndex.put(row.getString(0), raters.size());
      Integer group = groupIndex.computeIfAbsent(row.getString(1), g -> {
        groups.add(g);
        return groups.size() - 1;
      });
      groupOfRater[raters.size()] = group;
      raters.add(row.getString(0));
    }

    Dataset<Row> grouped = judgments.groupBy("pair_id")
        .agg(collect_list(struct("rater_id", "label", "p_a", "order_shown")).as("votes"));
    if (context.inputVersions().containsKey(Tables.PREFERENCE_PAIRS)) {
      Dataset<Row> lengths = context.read(Tables.PREFERENCE_PAIRS)
          .select(col("pair_id"), length(col("chosen")).minus(length(col("rejected"))).cast("double").as("length_difference"));
      grouped = grouped.join(lengths, grouped.col("pair_id").equalTo(lengths.col("pair_id")), "left")
          .select(grouped.col("pair_id"), col("votes"), col("length_difference"));
    } else {
      grouped = grouped.selectExpr("pair_id", "votes", "cast(null as double) as length_difference");
    }
    JavaRDD<Unit> units = grouped.toJavaRDD().map(row -> toUnit(row, raterIndex, groupOfRater))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return compute(context, units, raters, groups, now);
    } finally {
      units.unpersist(false);
    }
  }

  private StageResult compute(StageContext context, JavaRDD<Unit> units, List<String> raters, List<String> groups,
      Timestamp now) {
    long start = System.nanoTime();
    FeatureLayout layout = new FeatureLayout(raters.size(), options.maxBootstrapPairs());
    int groupCount = groups.size();
    AgreementOptions opts = options;
    AgreementState zero = new AgreementState(layout, groupCount, opts.resamples(), opts.seed());
    AgreementState state = units.treeAggregate(zero, AgreementState::add, AgreementState::merge, 2);

    long metricsDone = System.nanoTime();

    DawidSkene.Fit fit = state.units > 0 && !raters.isEmpty() ? fitDawidSkene(units, raters.size()) : null;
    long dawidSkeneDone = System.nanoTime();
    DawidSkene.Params params = fit == null ? null : fit.params();
    String runId = context.runId();
    JavaRDD<Row> rows = units.map(unit -> PairVerdict.toRow(unit, params, opts, runId, now));
    // Cached so the reason counts below reuse the rows instead of re-reading the table just written.
    Dataset<Row> verdicts = context.spark().createDataFrame(rows, AnnotationSchemas.AGREEMENT)
        .persist(StorageLevel.MEMORY_AND_DISK());
    context.lakehouse().overwrite(Tables.AGREEMENT, verdicts);

    Row summary = new SummaryBuilder(layout, state, fit, raters, groups, opts).build(runId, now);
    context.lakehouse().upsert(Tables.AGREEMENT_SUMMARY,
        context.spark().createDataFrame(List.of(summary), AnnotationSchemas.AGREEMENT_SUMMARY), List.of("run_id"));

    Map<String, Long> reasons = ReasonCounts.count(verdicts, "reason");
    verdicts.unpersist(false);
    StageResult.Builder result = ReasonCounts.toResult(reasons, StageResult.builder())
        .metric("judgments", state.judgments)
        .metric("raters", raters.size());
    SummaryBuilder.headline(layout, state).forEach(result::metric);
    if (fit != null) {
      result.metric("dawid_skene_iterations", fit.iterations());
    }
    long done = System.nanoTime();
    return result.metric("seconds_metrics_pass", seconds(start, metricsDone))
        .metric("seconds_dawid_skene", seconds(metricsDone, dawidSkeneDone))
        .metric("seconds_write", seconds(dawidSkeneDone, done))
        .build();
  }

  private static double seconds(long from, long to) {
    return Math.round((to - from) / 1e6) / 1000.0;
  }

  /**
   * EM over distinct (raters, labels) patterns with their counts: one Spark aggregation, then iterations on
   * the driver. Items with the same pattern share a posterior, so this is exact; with a fixed panel of R
   * raters there are at most 3^R patterns. When there are more than {@code dawid-skene.max-local-patterns}
   * (sparse, huge rater pools) each iteration is a Spark aggregation over the cached units instead.
   */
  private DawidSkene.Fit fitDawidSkene(JavaRDD<Unit> units, int raterCount) {
    AgreementOptions opts = options;
    JavaPairRDD<String, Long> patterns = units
        .mapToPair(unit -> new Tuple2<>(patternKey(unit), 1L))
        .reduceByKey(Long::sum);
    List<Tuple2<String, Long>> local = patterns.take(opts.maxLocalPatterns() + 1);
    if (local.size() <= opts.maxLocalPatterns()) {
      List<DawidSkene.Item> items = new ArrayList<>(local.size());
      long[] copies = new long[local.size()];
      for (int i = 0; i < local.size(); i++) {
        items.add(parsePattern(local.get(i)._1()));
        copies[i] = local.get(i)._2();
      }
      return DawidSkene.fit(params -> {
        DawidSkene.Stats stats = new DawidSkene.Stats(raterCount, 3);
        for (int i = 0; i < items.size(); i++) {
          stats.add(items.get(i), params, copies[i]);
        }
        return stats;
      }, opts.maxIterations(), opts.tolerance(), opts.smoothing());
    }
    return DawidSkene.fit(params -> units.treeAggregate(new DawidSkene.Stats(raterCount, 3),
        (stats, unit) -> {
          stats.add(new DawidSkene.Item(unit.raters(), unit.labels()), params);
          return stats;
        }, DawidSkene.Stats::merge, 2), opts.maxIterations(), opts.tolerance(), opts.smoothing());
  }

  static String patternKey(Unit unit) {
    StringBuilder key = new StringBuilder(unit.size() * 4);
    for (int i = 0; i < unit.size(); i++) {
      key.append(unit.raters()[i]).append(':').append(unit.labels()[i]).append(',');
    }
    return key.toString();
  }

  static DawidSkene.Item parsePattern(String key) {
    String[] parts = key.split(",");
    int[] raters = new int[parts.length];
    int[] labels = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      int colon = parts[i].indexOf(':');
      raters[i] = Integer.parseInt(parts[i].substring(0, colon));
      labels[i] = Integer.parseInt(parts[i].substring(colon + 1));
    }
    return new DawidSkene.Item(raters, labels);
  }

  /** Row (pair_id, votes, length_difference) -> Unit, votes sorted by rater index. */
  static Unit toUnit(Row row, Map<String, Integer> raterIndex, int[] groupOfRater) {
    List<Row> votes = new ArrayList<>(row.getList(1));
    votes.sort(Comparator.comparingInt(v -> raterIndex.get(v.getString(0))));
    int m = votes.size();
    int[] raters = new int[m];
    int[] labels = new int[m];
    double[] probabilityA = new double[m];
    boolean[] swapped = new boolean[m];
    int[] groups = new int[m];
    for (int i = 0; i < m; i++) {
      Row vote = votes.get(i);
      raters[i] = raterIndex.get(vote.getString(0));
      labels[i] = PreferenceLabel.parse(vote.getString(1)).ordinal();
      probabilityA[i] = vote.isNullAt(2) ? Double.NaN : vote.getDouble(2);
      swapped[i] = "BA".equals(vote.getString(3));
      groups[i] = groupOfRater[raters[i]];
    }
    double lengthDifference = row.isNullAt(2) ? Double.NaN : row.getDouble(2);
    return new Unit(row.getString(0), raters, labels, probabilityA, swapped, groups, lengthDifference);
  }
}
