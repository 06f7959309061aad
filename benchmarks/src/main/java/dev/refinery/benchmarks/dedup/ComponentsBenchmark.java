package dev.refinery.benchmarks.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import dev.refinery.dedup.minhash.ConnectedComponents;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Connected components: rounds and time on (1) a long chain whose ids are scrambled along the chain (label
 * propagation would need n rounds), and (2) a large star (one hub with many leaves, the shape of a
 * boilerplate bucket) with a chain tail. Args: [chainLength] [starLeaves].
 */
public final class ComponentsBenchmark {
  public static void main(String[] args) {
    long chain = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
    long leaves = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
    SparkSession spark = Bench.spark();
    Map<String, Object> result = Bench.result("dedup-connected-components");

    // Chain: node i -- node i+1, node names are hashes so the order of ids is random along the chain.
    Dataset<Row> chainEdges = spark.range(chain - 1).select(
        format_string("%016x", xxhash64(col("id"))).as("src"),
        format_string("%016x", xxhash64(col("id").plus(1))).as("dst"));
    result.put("chain", run(chainEdges, chain, 1));

    // Star: hub -- leaf for every leaf, plus a chain of 1000 hanging off leaf 0.
    Dataset<Row> star = spark.range(leaves).select(lit("hub").as("src"),
        format_string("leaf-%012d", col("id")).as("dst"));
    Dataset<Row> tail = spark.range(1000).select(
        format_string("tail-%08x", pmod(xxhash64(col("id")), lit(1L << 31))).as("src"),
        format_string("tail-%08x", pmod(xxhash64(col("id").plus(1)), lit(1L << 31))).as("dst"));
    Dataset<Row> link = spark.range(1).select(lit("leaf-000000000000").as("src"),
        format_string("tail-%08x", pmod(xxhash64(lit(0L)), lit(1L << 31))).as("dst"));
    result.put("large_star", run(star.union(tail).union(link), leaves + 1002, 1));
    Bench.print(result, "components.json");
    spark.stop();
  }

  private static Map<String, Object> run(Dataset<Row> edges, long nodes, long expectedComponents) {
    long start = System.nanoTime();
    ConnectedComponents.Result result = ConnectedComponents.run(edges, 100);
    Dataset<Row> components = result.components().cache();
    long labelled = components.count();
    long distinct = components.select("component").distinct().count();
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("nodes", nodes);
    out.put("rounds", result.rounds());
    out.put("log2_nodes", Bench.round(Math.log(nodes) / Math.log(2), 1));
    out.put("seconds", Bench.round(seconds, 1));
    out.put("nodes_labelled", labelled);
    out.put("components", distinct);
    out.put("correct", labelled == nodes && distinct == expectedComponents);
    components.unpersist();
    return out;
  }
}
