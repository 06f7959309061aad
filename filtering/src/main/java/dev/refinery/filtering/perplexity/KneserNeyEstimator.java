package dev.refinery.filtering.perplexity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.refinery.core.error.RefineryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Estimates an interpolated modified Kneser-Ney model with Spark, making the estimates KenLM's
 * {@code lmplz} makes without pruning (Heafield et al. 2013; Chen and Goodman 1998):
 *
 * <ol>
 *   <li>Each sentence is {@code <s> w1 ... wk </s>}. Counted are, for every position, the n-grams ending
 *       there, as lmplz does after padding the context with {@code <s>}.
 *   <li>Adjusted counts: an n-gram of the highest order, or one that starts with {@code <s>}, keeps its
 *       raw count; any other n-gram gets the number of distinct words seen to its left.
 *   <li>Discounts per order from counts-of-counts t1..t4 of adjusted counts: Y = t1 / (t1 + 2 t2),
 *       D_k = k - (k+1) Y t_{k+1} / t_k (computed in float like lmplz), with lmplz's fallback
 *       (0.5, 1, 1.5 by default) when the closed form fails on tiny or artificial corpora.
 *   <li>Per context c: denominator sum_w a(c w); gamma(c) = (D1 N1(c) + D2 N2(c) + D3 N3+(c)) / sum.
 *       Uninterpolated u(w|c) = (a(c w) - D(a(c w))) / sum.
 *   <li>Interpolation order by order: p(w|c) = u(w|c) + gamma(c) p(w|c'), with unigrams interpolated with
 *       the uniform 1/|V| (|V| counts {@code <unk>}, not {@code <s>}): lmplz's {@code interpolate_unigrams}.
 *       So {@code <unk>} gets gamma(empty)/|V| and {@code <s>} gets probability 1 (log 0), as in lmplz.
 *   <li>Backoff of an n-gram that is a context: log10 gamma; of any other: 0.
 * </ol>
 *
 * Everything but the discounts runs as Spark joins and aggregations on (order, n-gram of word ids);
 * the vocabulary (sorted, so ids are deterministic) is broadcast.
 */
public final class KneserNeyEstimator {
  static final int UNK = 0;
  static final int BOS = 1;
  static final int EOS = 2;

  private static final StructType GRAMS = new StructType()
      .add("order", IntegerType, false)
      .add("gram", createArrayType(IntegerType, false), false)
      .add("left", IntegerType, true)
      .add("raw", LongType, false);

  private final SparkSession spark;
  private final int order;
  private final float[] fallback;

  /**
   * @param fallbackDiscounts D1, D2, D3+ used for an order whose closed-form discounts fail; null or empty
   *     fails instead (lmplz without {@code --discount_fallback})
   */
  public KneserNeyEstimator(SparkSession spark, int order, List<Double> fallbackDiscounts) {
    if (order < 1 || order > 10) {
      throw RefineryException.userError("Invalid language model order: %d (expected 1 to 10)", order);
    }
    this.spark = spark;
    this.order = order;
    if (fallbackDiscounts == null || fallbackDiscounts.isEmpty()) {
      this.fallback = null;
    } else if (fallbackDiscounts.size() != 3) {
      throw RefineryException.userError("Invalid fallback discounts %s: expected three values (D1, D2, D3+)",
          fallbackDiscounts);
    } else {
      this.fallback = new float[] {
          fallbackDiscounts.get(0).floatValue(), fallbackDiscounts.get(1).floatValue(),
          fallbackDiscounts.get(2).floatValue()};
    }
  }

  /** The estimate: n-grams with log10 probability and backoff, plus what {@code lm_models} records. */
  public record Estimate(
      int order, String[] vocabulary, long[] counts, double[][] discounts, boolean[] fallbackUsed, long sentences,
      long tokens, Dataset<Row> ngrams) {
    /** Releases the cached intermediate tables. */
    public void release() {
      ngrams.unpersist();
    }
  }

  /**
   * Estimates from {@code sentences}, a dataset with an {@code array<string>} column {@code tokens}
   * (one non-empty sentence per row, without {@code <s>}/{@code </s>}).
   */
  public Estimate estimate(Dataset<Row> sentences) {
    List<Dataset<Row>> cached = new ArrayList<>();
    Dataset<Row> tokens = sentences.select(col("tokens")).persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(tokens);

    // Vocabulary: sorted words after the three specials.
    List<String> words = new ArrayList<>(List.of(NgramModel.UNK, NgramModel.BOS, NgramModel.EOS));
    Row totals = tokens.agg(org.apache.spark.sql.functions.count(lit(1)),
        sum(org.apache.spark.sql.functions.size(col("tokens")))).head();
    long sentenceCount = totals.getLong(0);
    if (sentenceCount == 0) {
      throw RefineryException.userError("Cannot train language model: the corpus has no tokens");
    }
    long tokenCount = totals.getLong(1);
    for (Row row : tokens.select(org.apache.spark.sql.functions.explode(col("tokens")).as("w")).distinct()
        .filter(col("w").isin(NgramModel.UNK, NgramModel.BOS, NgramModel.EOS).unary_$bang())
        .orderBy("w").collectAsList()) {
      words.add(row.getString(0));
    }
    Map<String, Integer> ids = new HashMap<>(words.size() * 2);
    for (int i = 0; i < words.size(); i++) {
      ids.put(words.get(i), i);
    }
    Broadcast<Map<String, Integer>> vocabulary = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(ids);
    int n = order;

    // 1-2. Counts and adjusted counts.
    Dataset<Row> emitted = tokens.flatMap((FlatMapFunction<Row, Row>) row -> emit(row.getList(0), vocabulary.value(), n),
        Encoders.row(GRAMS));
    Dataset<Row> adjusted = emitted.groupBy("order", "gram")
        .agg(sum("raw").as("raw"), countDistinct("left").as("continuation"))
        .select(col("order"), col("gram"),
            when(col("raw").gt(0), col("raw")).otherwise(col("continuation")).as("adj"));
    StructType adjustedSchema = new StructType()
        .add("order", IntegerType, false).add("gram", createArrayType(IntegerType, false), false).add("adj", LongType, false);
    Dataset<Row> specials = spark.createDataFrame(List.of(
        RowFactory.create(1, List.of(UNK).toArray(new Integer[0]), 0L),
        RowFactory.create(1, List.of(BOS).toArray(new Integer[0]), 0L)), adjustedSchema);
    adjusted = adjusted.unionByName(specials)
        .withColumn("context", slice(col("gram"), lit(1), col("order").minus(1)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(adjusted);

    // 3. Counts-of-counts and discounts.
    long[] counts = new long[order];
    long[][] countOfCounts = new long[order][5];
    for (Row row : adjusted.groupBy("order").agg(
        org.apache.spark.sql.functions.count(lit(1)),
        sum(when(col("adj").equalTo(1), 1L).otherwise(0L)),
        sum(when(col("adj").equalTo(2), 1L).otherwise(0L)),
        sum(when(col("adj").equalTo(3), 1L).otherwise(0L)),
        sum(when(col("adj").equalTo(4), 1L).otherwise(0L))).collectAsList()) {
      int o = row.getInt(0);
      counts[o - 1] = row.getLong(1);
      for (int k = 1; k <= 4; k++) {
        countOfCounts[o - 1][k] = row.getLong(k + 1);
      }
    }
    double[][] discounts = new double[order][];
    boolean[] fallbackUsed = new boolean[order];
    for (int o = 0; o < order; o++) {
      float[] d = discounts(o + 1, countOfCounts[o]);
      fallbackUsed[o] = d == fallback;
      discounts[o] = new double[] {d[0], d[1], d[2]};
    }

    // 4. Per-context denominators and gammas.
    Column discount1 = perOrder(discounts, 0);
    Column discount2 = perOrder(discounts, 1);
    Column discount3 = perOrder(discounts, 2);
    Dataset<Row> contexts = adjusted.groupBy("order", "context").agg(
            sum("adj").as("denominator"),
            sum(when(col("adj").equalTo(1), 1L).otherwise(0L)).as("n1"),
            sum(when(col("adj").equalTo(2), 1L).otherwise(0L)).as("n2"),
            sum(when(col("adj").geq(3), 1L).otherwise(0L)).as("n3"))
        .select(col("order"), col("context"), col("denominator"),
            discount1.multiply(col("n1")).plus(discount2.multiply(col("n2"))).plus(discount3.multiply(col("n3")))
                .divide(col("denominator")).as("gamma"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(contexts);

    Column isBos = col("order").equalTo(1).and(col("gram").getItem(0).equalTo(BOS));
    Column discountOfAdj = when(col("adj").equalTo(0), lit(0.0)).when(col("adj").equalTo(1), discount1)
        .when(col("adj").equalTo(2), discount2).otherwise(discount3);
    Dataset<Row> uninterpolated = adjusted.join(contexts, seq("order", "context"))
        .select(col("order"), col("gram"),
            when(isBos, lit(1.0)).otherwise(col("adj").minus(discountOfAdj).divide(col("denominator"))).as("u"),
            when(isBos, lit(0.0)).otherwise(col("gamma")).as("gamma_c"));

    // 5. Interpolation, one order at a time.
    double uniform = 1.0 / (counts[0] - 1);
    Dataset<Row> previous = uninterpolated.filter(col("order").equalTo(1))
        .select(col("order"), col("gram"), col("u").plus(col("gamma_c").multiply(uniform)).as("p"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(previous);
    List<Dataset<Row>> byOrder = new ArrayList<>(List.of(previous));
    for (int o = 2; o <= order; o++) {
      Dataset<Row> lower = previous.select(col("gram").as("suffix"), col("p").as("p_suffix"));
      Dataset<Row> current = uninterpolated.filter(col("order").equalTo(o))
          .withColumn("suffix", slice(col("gram"), lit(2), lit(o - 1)))
          .join(lower, "suffix")
          .select(col("order"), col("gram"), col("u").plus(col("gamma_c").multiply(col("p_suffix"))).as("p"))
          .persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(current);
      byOrder.add(current);
      previous = current;
    }
    Dataset<Row> probabilities = byOrder.get(0);
    for (int o = 1; o < byOrder.size(); o++) {
      probabilities = probabilities.unionByName(byOrder.get(o));
    }

    // 6. Backoffs: log10 gamma of the n-gram as a context of the next order.
    Dataset<Row> backoffs = contexts.filter(col("order").gt(1))
        .select(col("order").minus(1).as("order"), col("context").as("gram"), col("gamma").as("backoff_gamma"));
    Dataset<Row> ngrams = probabilities.join(backoffs, seq("order", "gram"), "left")
        .select(col("order"), col("gram"),
            least(lit(0.0), log10(col("p"))).cast(FloatType).as("log10_prob"),
            when(col("backoff_gamma").isNull(), lit(0.0)).otherwise(log10(greatest(col("backoff_gamma"), lit(Double.MIN_VALUE))))
                .cast(FloatType).as("log10_backoff"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ngrams.count();
    for (Dataset<Row> dataset : cached) {
      dataset.unpersist();
    }
    vocabulary.unpersist();
    return new Estimate(order, words.toArray(new String[0]), counts, discounts, fallbackUsed, sentenceCount,
        tokenCount, ngrams);
  }

  /** Emits, for each position of {@code <s> tokens </s>}, every n-gram ending there. */
  static java.util.Iterator<Row> emit(List<String> sentence, Map<String, Integer> ids, int order) {
    int[] t = new int[sentence.size() + 2];
    t[0] = BOS;
    for (int i = 0; i < sentence.size(); i++) {
      t[i + 1] = ids.get(sentence.get(i));
    }
    t[t.length - 1] = EOS;
    List<Row> out = new ArrayList<>((t.length - 1) * order);
    for (int end = 1; end < t.length; end++) {
      for (int n = 1; n <= Math.min(order, end + 1); n++) {
        int start = end - n + 1;
        Integer[] gram = new Integer[n];
        for (int i = 0; i < n; i++) {
          gram[i] = t[start + i];
        }
        if (n == order || start == 0) {
          out.add(RowFactory.create(n, gram, null, 1L));
        } else {
          out.add(RowFactory.create(n, gram, t[start - 1], 0L));
        }
      }
    }
    return out.iterator();
  }

  /** lmplz's closed-form discounts, in float as lmplz computes them, or the fallback. */
  float[] discounts(int n, long[] t) {
    String problem = null;
    float[] d = new float[3];
    for (int j = 1; j <= 3 && problem == null; j++) {
      if (t[j] == 0) {
        problem = String.format(Locale.ROOT,
            "no %d-grams with adjusted count %d, so the discount for count %d cannot be estimated", n, j, j);
      }
    }
    if (problem == null) {
      float y = (float) t[1] / (float) (t[1] + 2.0 * t[2]);
      for (int j = 1; j <= 3; j++) {
        d[j - 1] = (float) j - (float) (j + 1) * y * (float) t[j + 1] / (float) t[j];
        if (d[j - 1] < 0 || d[j - 1] > j) {
          problem = String.format(Locale.ROOT, "the %d-gram discount for count %d is out of range: %s", n, j, d[j - 1]);
        }
      }
    }
    if (problem == null) {
      return d;
    }
    if (fallback == null) {
      throw RefineryException.userError("Cannot estimate Kneser-Ney discounts: %s. The corpus is too small or "
          + "artificial; use a larger corpus or set lm-train.discount-fallback", problem);
    }
    return fallback;
  }

  private static scala.collection.immutable.Seq<String> seq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
  }

  private static Column perOrder(double[][] discounts, int index) {
    Column column = lit(discounts[discounts.length - 1][index]);
    for (int o = discounts.length - 1; o >= 1; o--) {
      column = when(col("order").equalTo(o), lit(discounts[o - 1][index])).otherwise(column);
    }
    return column;
  }
}
