package dev.refinery.dedup.minhash;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.spark.Checkpoints;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Connected components on Spark by alternating large-star and small-star (Kiveris et al., "Connected
 * Components in MapReduce and Beyond", SoCC 2014): O(log n) rounds, each a few shuffles of the edge list,
 * nothing collected to the driver but one boolean per round (is the graph a forest of stars yet?). Every
 * operation is an aggregation or a join against a one-row-per-node aggregate, so a node of huge degree (a
 * boilerplate bucket's centre) streams through one task instead of being held in memory.
 *
 * <p>Input: an undirected edge list with string node ids in columns {@code src}, {@code dst}. Output: one
 * row per node that has an edge, {@code doc_id} and {@code component} = the smallest id in its component.
 * Each round's edges are checkpointed ({@link dev.refinery.core.spark.Checkpoints}) to cut the lineage.
 */
public final class ConnectedComponents {
  private ConnectedComponents() {}

  /** The components and the number of rounds it took. */
  public record Result(Dataset<Row> components, int rounds) {}

  public static Result run(Dataset<Row> edges, int maxRounds) {
    Dataset<Row> current = Checkpoints.of(edges
        .select(greatest(col("src"), col("dst")).as("u"), least(col("src"), col("dst")).as("v"))
        .where(col("u").notEqual(col("v")))
        .distinct());
    int rounds = 0;
    while (!isStarForest(current)) {
      if (rounds >= maxRounds) {
        throw RefineryException.internal("Cannot compute connected components: no convergence after %d rounds "
            + "(raise dedup-minhash.max-rounds)", maxRounds);
      }
      rounds++;
      current = Checkpoints.of(smallStar(Checkpoints.of(largeStar(current))));
    }
    // Converged: every edge is (node, root) with root the component's minimum.
    Dataset<Row> members = current.select(col("u").as("doc_id"), col("v").as("component"));
    Dataset<Row> roots = current.select(col("v").as("doc_id"), col("v").as("component")).distinct();
    return new Result(members.union(roots), rounds);
  }

  /**
   * Large-star: for every node u with neighbourhood N(u), m(u) = min(N(u) + u); each neighbour v > u is
   * connected to m(u). Edges are oriented (u, v) with u > v.
   */
  static Dataset<Row> largeStar(Dataset<Row> edges) {
    Dataset<Row> both = edges.select(col("u").as("a"), col("v").as("b"))
        .union(edges.select(col("v").as("a"), col("u").as("b")));
    Dataset<Row> minimum = both.groupBy("a").agg(min("b").as("m"))
        .select(col("a"), least(col("a"), col("m")).as("m"));
    return both.join(minimum, "a")
        .where(col("b").gt(col("a")))
        .select(col("b").as("u"), col("m").as("v"))
        .where(col("u").notEqual(col("v")))
        .distinct();
  }

  /**
   * Small-star: for every node u, with N'(u) its neighbours smaller than u, m = min(N'(u) + u); u and each
   * of N'(u) are connected to m.
   */
  static Dataset<Row> smallStar(Dataset<Row> edges) {
    Dataset<Row> minimum = edges.groupBy("u").agg(min("v").as("m"));
    Dataset<Row> spokes = edges.join(minimum, "u")
        .select(col("v").as("u"), col("m").as("v"))
        .where(col("u").notEqual(col("v")));
    Dataset<Row> centres = minimum.select(col("u"), col("m").as("v"));
    return spokes.union(centres).distinct();
  }

  /**
   * The fixed point of large-star and small-star: every node u has at most one edge (u, v), and no v is
   * itself a u. Each component is then a star around its smallest node (edges point from larger to smaller
   * ids), so the edges are the answer. One aggregation, and most duplicate graphs (pairs) pass it before the
   * first round.
   */
  static boolean isStarForest(Dataset<Row> edges) {
    Dataset<Row> roles = edges.select(col("u").as("node"), lit(1).as("leaf"), lit(0).as("centre"))
        .union(edges.select(col("v").as("node"), lit(0).as("leaf"), lit(1).as("centre")));
    return roles.groupBy("node").agg(sum("leaf").as("leaf"), sum("centre").as("centre"))
        .where(col("leaf").gt(1).or(col("leaf").gt(0).and(col("centre").gt(0))))
        .isEmpty();
  }
}
