package dev.refinery.dedup.minhash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.testing.SharedSpark;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ConnectedComponentsTest {
  private static final StructType EDGES = new StructType()
      .add("src", DataTypes.StringType).add("dst", DataTypes.StringType);

  private static String node(int i) {
    return String.format("n%05d", i);
  }

  private static Dataset<Row> edges(List<int[]> pairs) {
    SparkSession spark = SharedSpark.session();
    List<Row> rows = new ArrayList<>();
    pairs.forEach(p -> rows.add(RowFactory.create(node(p[0]), node(p[1]))));
    return spark.createDataFrame(rows, EDGES);
  }

  private static Map<String, String> components(Dataset<Row> result) {
    Map<String, String> out = new HashMap<>();
    for (Row row : result.collectAsList()) {
      assertThat(out.put(row.getString(0), row.getString(1))).as("one row per node").isNull();
    }
    return out;
  }

  /** Union-find reference: node -> smallest node of its component. */
  private static Map<String, String> reference(List<int[]> pairs) {
    Map<Integer, Integer> parent = new HashMap<>();
    for (int[] p : pairs) {
      int a = find(parent, p[0]);
      int b = find(parent, p[1]);
      parent.put(Math.max(a, b), Math.min(a, b));
    }
    Map<String, String> out = new HashMap<>();
    for (int[] p : pairs) {
      out.put(node(p[0]), node(find(parent, p[0])));
      out.put(node(p[1]), node(find(parent, p[1])));
    }
    return out;
  }

  private static int find(Map<Integer, Integer> parent, int x) {
    int root = x;
    while (parent.getOrDefault(root, root) != root) {
      root = parent.get(root);
    }
    return root;
  }

  @Test
  void longChainConvergesInLogarithmicRounds() {
    List<int[]> pairs = new ArrayList<>();
    // A chain with ids shuffled along it, the hard case for label propagation (n rounds).
    int n = 256;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new java.util.Random(3));
    for (int i = 0; i + 1 < n; i++) {
      pairs.add(new int[] {order.get(i), order.get(i + 1)});
    }
    ConnectedComponents.Result result = ConnectedComponents.run(edges(pairs), 60);
    assertThat(components(result.components())).isEqualTo(reference(pairs));
    assertThat(result.rounds()).isLessThanOrEqualTo(2 * 8 + 2);
  }

  @Test
  void starsAreAlreadyConvergedAndAnyOtherShapeIsNot() {
    // Pairs and a star around its smallest node (the common duplicate graphs) need no round at all.
    List<int[]> stars = List.of(new int[] {5, 4}, new int[] {9, 7}, new int[] {1, 3}, new int[] {1, 8});
    ConnectedComponents.Result result = ConnectedComponents.run(edges(stars), 60);
    assertThat(result.rounds()).isZero();
    assertThat(components(result.components())).isEqualTo(reference(stars));
    // A path of three (middle node is both a leaf and a centre) and a star around a larger node are not.
    List<int[]> path = List.of(new int[] {1, 2}, new int[] {2, 3});
    List<int[]> offCentre = List.of(new int[] {5, 1}, new int[] {5, 2});
    for (List<int[]> graph : List.of(path, offCentre)) {
      ConnectedComponents.Result other = ConnectedComponents.run(edges(graph), 60);
      assertThat(other.rounds()).isPositive();
      assertThat(components(other.components())).isEqualTo(reference(graph));
    }
  }

  @Test
  void randomForestOfComponentsMatchesUnionFind() {
    SplittableRandom random = new SplittableRandom(11);
    List<int[]> pairs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int a = random.nextInt(300);
      int b = random.nextInt(300);
      pairs.add(new int[] {a, b});
    }
    pairs.add(new int[] {1000, 1000});
    ConnectedComponents.Result result = ConnectedComponents.run(edges(pairs), 60);
    Map<String, String> expected = reference(pairs);
    expected.remove(node(1000));
    assertThat(components(result.components())).isEqualTo(expected);
  }

  @Test
  void largeStarAndItsTailFormOneComponent() {
    List<int[]> pairs = new ArrayList<>();
    for (int i = 1; i <= 2000; i++) {
      pairs.add(new int[] {5000, 5000 + i});
    }
    pairs.add(new int[] {7000, 3});
    ConnectedComponents.Result result = ConnectedComponents.run(edges(pairs), 60);
    Map<String, String> got = components(result.components());
    assertThat(got).hasSize(2002);
    assertThat(got.values()).containsOnly(node(3));
    assertThat(result.components().as(Encoders.bean(Object.class)).count()).isEqualTo(2002);
  }
}
