package dev.refinery.dedup.semantic;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;

import dev.refinery.dedup.Representative;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.Seq;

/**
 * SemDeDup (Abbas et al., 2023) on Spark: k-means (Spark MLlib, cosine distance) on the L2-normalised
 * embeddings, then inside each cluster the items are visited in order (farthest from the centroid first by
 * default) and an item is a duplicate when its cosine similarity to an item kept before it exceeds
 * {@code 1 - eps}; it is attached to the most similar kept item, which becomes its representative.
 *
 * <p>Memory: a cluster is cut, in visiting order, into chunks of at most {@code chunk-size} items; a task
 * holds one chunk (chunk-size x dimension floats) and compares each item with the chunk's kept items only,
 * so no task ever holds a whole large cluster. Duplicates that fall in different chunks of one cluster are
 * not compared (k-means with {@code target-cluster-size} well under {@code chunk-size} makes this rare).
 */
public final class SemDeDup {
  private SemDeDup() {}

  static final StructType CLUSTER_ROWS = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("cluster_id", DataTypes.StringType, false)
      .add("representative", DataTypes.StringType, false)
      .add("similarity", DataTypes.DoubleType, false)
      .add("cluster_size", DataTypes.LongType, false);

  /** The k-means clusters: input columns doc_id, perplexity, embedding; adds kmeans_cluster and distance. */
  static Dataset<Row> cluster(Dataset<Row> vectors, int k, SemanticOptions options) {
    Dataset<Row> features = vectors.withColumn("features",
        org.apache.spark.ml.functions.array_to_vector(col("embedding")));
    if (k < 2) {
      // MLlib's KMeans needs k >= 2; one cluster is every item around the normalised mean.
      Row mean = features.select(org.apache.spark.ml.stat.Summarizer.mean(col("features"))).head();
      Vector centre = (Vector) mean.get(0);
      return withDistance(features.withColumn("kmeans_cluster", org.apache.spark.sql.functions.lit(0)),
          new Vector[] {centre});
    }
    KMeansModel model = new KMeans().setK(k).setSeed(options.seed()).setMaxIter(options.kmeansMaxIterations())
        .setDistanceMeasure("cosine").setFeaturesCol("features").setPredictionCol("kmeans_cluster")
        .fit(features);
    return withDistance(model.transform(features), model.clusterCenters());
  }

  /** Adds {@code distance}: 1 - cosine similarity of each item to its cluster's centre. */
  private static Dataset<Row> withDistance(Dataset<Row> assigned, Vector[] centres) {
    float[][] unit = new float[centres.length][];
    for (int c = 0; c < centres.length; c++) {
      double[] values = centres[c].toArray();
      double norm = 0;
      for (double v : values) {
        norm += v * v;
      }
      norm = Math.max(Math.sqrt(norm), 1e-12);
      unit[c] = new float[values.length];
      for (int d = 0; d < values.length; d++) {
        unit[c][d] = (float) (values[d] / norm);
      }
    }
    Broadcast<float[][]> broadcast = assigned.sparkSession().sparkContext()
        .broadcast(unit, scala.reflect.ClassTag$.MODULE$.apply(float[][].class));
    UserDefinedFunction distance = udf((UDF2<Integer, Seq<Float>, Double>) (cluster, embedding) -> {
      float[] centre = broadcast.value()[cluster];
      double dot = 0;
      for (int d = 0; d < centre.length; d++) {
        dot += centre[d] * embedding.apply(d);
      }
      return 1.0 - dot;
    }, DataTypes.DoubleType);
    return assigned.drop("features")
        .withColumn("distance", distance.apply(col("kmeans_cluster"), col("embedding")));
  }

  /** Duplicate groups: one row per item of a group of two or more (kept item first in its group). */
  static Dataset<Row> prune(Dataset<Row> clustered, SemanticOptions options) {
    Column[] order = switch (options.order()) {
      case FARTHEST_FIRST -> new Column[] {col("distance").desc(), col("doc_id")};
      case CLOSEST_FIRST -> new Column[] {col("distance").asc(), col("doc_id")};
      case REPRESENTATIVE -> new Column[] {options.representative().rankKey()};
    };
    Dataset<Row> positioned = clustered
        .withColumn("position", row_number().over(Window.partitionBy("kmeans_cluster").orderBy(order)))
        .withColumn("chunk", floor(col("position").minus(1).divide(options.chunkSize())).cast("long"))
        .select("kmeans_cluster", "chunk", "position", "doc_id", "embedding");
    double limit = 1.0 - options.eps();
    return positioned
        .groupByKey((MapFunction<Row, String>) r -> r.getInt(0) + "/" + r.getLong(1), Encoders.STRING())
        .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, rows) -> pruneChunk(rows, limit),
            Encoders.row(CLUSTER_ROWS));
  }

  private static Iterator<Row> pruneChunk(Iterator<Row> rows, double limit) {
    List<Row> items = new ArrayList<>();
    rows.forEachRemaining(items::add);
    items.sort(Comparator.comparingInt(r -> r.getInt(2)));
    int n = items.size();
    String[] ids = new String[n];
    float[][] vectors = new float[n][];
    for (int i = 0; i < n; i++) {
      ids[i] = items.get(i).getString(3);
      List<Float> values = items.get(i).getList(4);
      vectors[i] = new float[values.size()];
      for (int d = 0; d < vectors[i].length; d++) {
        vectors[i][d] = values.get(d);
      }
    }
    items.clear();
    int[] kept = new int[n];
    int keptCount = 0;
    int[] representative = new int[n];
    double[] similarity = new double[n];
    long[] groupSize = new long[n];
    for (int i = 0; i < n; i++) {
      double best = -2;
      int bestKept = -1;
      for (int j = 0; j < keptCount; j++) {
        double dot = dot(vectors[i], vectors[kept[j]]);
        if (dot > best) {
          best = dot;
          bestKept = kept[j];
        }
      }
      if (bestKept >= 0 && best > limit) {
        representative[i] = bestKept;
        similarity[i] = best;
        groupSize[bestKept]++;
      } else {
        kept[keptCount++] = i;
        representative[i] = i;
        similarity[i] = 1.0;
        groupSize[i] = 1;
      }
    }
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int rep = representative[i];
      if (groupSize[rep] > 1) {
        out.add(RowFactory.create(ids[i], ids[rep], ids[rep], similarity[i], groupSize[rep]));
      }
    }
    return out.iterator();
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int d = 0; d < a.length; d++) {
      sum += a[d] * b[d];
    }
    return sum;
  }
}
