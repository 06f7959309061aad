package dev.refinery.benchmarks.annotation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.annotation.agreement.AgreementProvider;
import dev.refinery.annotation.labels.PreferenceLabel;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.AnnotationSchemas;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark entry point for {@code benchmarks/annotation/run} (not part of the pipeline, hence outside
 * {@code jobs}): simulated judgments (Dawid-Skene raters of known accuracy, each pair labelled by a random
 * subset of raters) are written to Delta, then the {@code agreement} stage runs on them with B bootstrap
 * resamples. The same reliability matrix is handed to the Python {@code krippendorff} package, which
 * computes alpha at the four levels for the full sample and for B unit-resampled replicates. Prints JSON.
 *
 * <p>Arguments: {@code judgments raters per-pair resamples python-executable python-script [python-resamples]}.
 * When python-resamples &lt; resamples the Python bootstrap is timed on that many replicates and scaled up
 * linearly (the JSON says so).
 */
public final class AgreementBenchmark {
  private AgreementBenchmark() {}

  public static void main(String[] args) throws Exception {
    long judgments = Long.parseLong(args[0]);
    int raters = Integer.parseInt(args[1]);
    int perPair = Integer.parseInt(args[2]);
    int resamples = Integer.parseInt(args[3]);
    String python = args[4];
    String script = args[5];
    int pythonResamples = args.length > 6 ? Integer.parseInt(args[6]) : resamples;
    int pairs = (int) (judgments / perPair);

    Path work = Files.createTempDirectory("refinery-bench-annotation-");
    RefineryConfig config = RefineryConfig.defaults()
        .with("lakehouse.root", work.resolve("lakehouse").toString())
        .with("agreement.bootstrap.resamples", resamples)
        .with("agreement.rater-kinds", List.of("human"))
        .with("spark.log-level", "ERROR");
    SparkSession spark = SparkSessions.create(config);
    Lakehouse lakehouse = new Lakehouse(spark, config);

    double[] accuracy = new double[raters];
    for (int r = 0; r < raters; r++) {
      accuracy[r] = 0.6 + 0.35 * r / Math.max(1, raters - 1);
    }
    double[][] matrix = new double[raters][pairs];
    for (double[] row : matrix) {
      Arrays.fill(row, Double.NaN);
    }
    List<Row> rows = new ArrayList<>((int) judgments);
    Timestamp now = Timestamp.from(Instant.now());
    PreferenceLabel[] labels = PreferenceLabel.values();
    SplittableRandom random = new SplittableRandom(2026);
    int[] order = new int[raters];
    for (int p = 0; p < pairs; p++) {
      double u = random.nextDouble();
      int truth = u < 0.45 ? 0 : u < 0.55 ? 1 : 2;
      for (int r = 0; r < raters; r++) {
        order[r] = r;
      }
      for (int i = 0; i < perPair; i++) {
        int j = i + random.nextInt(raters - i);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
        int rater = order[i];
        int said = random.nextDouble() < accuracy[rater] ? truth : (truth + 1 + random.nextInt(2)) % 3;
        matrix[rater][p] = labels[said].code();
        String pairId = "pair-" + p;
        String raterId = String.format("rater-%02d", rater);
        rows.add(RowFactory.create(pairId, raterId, "human", raterId, labels[said].text(), labels[said].probabilityA(),
            "AB", "human", null, null, null, null, "benchmark", "bench", now));
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    lakehouse.overwrite(Tables.JUDGMENTS,
        spark.createDataFrame(jsc.parallelize(rows, 8), AnnotationSchemas.JUDGMENTS));
    rows = null;
    Path matrixFile = work.resolve("reliability.f64");
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(matrixFile), 1 << 20))) {
      ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      for (double[] row : matrix) {
        for (double v : row) {
          buffer.clear();
          buffer.putDouble(v);
          out.write(buffer.array());
        }
      }
    }

    StageRunner runner = new StageRunner(spark, config, lakehouse, "bench");
    // Warm-up on the same data (JIT, Delta log caching), then the timed run.
    long startWarm = System.nanoTime();
    runner.run(new AgreementProvider().create(config.with("agreement.bootstrap.resamples", 10)));
    double warmSeconds = (System.nanoTime() - startWarm) / 1e9;
    long start = System.nanoTime();
    PipelineRun run = new StageRunner(spark, config, lakehouse, "bench-timed").run(new AgreementProvider().create(config));
    double seconds = (System.nanoTime() - start) / 1e9;

    ObjectMapper json = new ObjectMapper();
    ObjectNode result = json.createObjectNode();
    result.put("benchmark", "agreement metrics with bootstrap intervals");
    result.put("judgments", judgments);
    result.put("pairs", pairs);
    result.put("raters", raters);
    result.put("raters_per_pair", perPair);
    result.put("bootstrap_resamples", resamples);
    result.put("cores", Runtime.getRuntime().availableProcessors());
    ObjectNode refinery = result.putObject("refinery");
    refinery.put("what", "agreement stage: Fleiss, alpha x4, " + raters * (raters - 1) / 2
        + " Cohen kappas (unweighted/linear/quadratic), each with " + resamples
        + " Poisson-bootstrap resamples (CIs for alpha, Fleiss and up to 64 Cohen pairs), Dawid-Skene EM, "
        + "position/length bias, per-pair rows written to Delta");
    refinery.put("seconds", round(seconds));
    refinery.put("warmup_seconds_with_10_resamples", round(warmSeconds));
    run.result().metrics().forEach(refinery::put);

    Process process = new ProcessBuilder(python, script, matrixFile.toString(), String.valueOf(raters),
        String.valueOf(pairs), String.valueOf(resamples), String.valueOf(pythonResamples))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(3, TimeUnit.HOURS) || process.exitValue() != 0) {
      throw new IOException("Python baseline failed: " + out);
    }
    ObjectNode baseline = (ObjectNode) json.readTree(out);
    result.set("python_krippendorff", baseline);
    double pythonSeconds = baseline.get("seconds_total").asDouble();
    result.put("ratio_python_over_refinery", round(pythonSeconds / seconds));
    result.put("alpha_nominal_refinery", Double.parseDouble(run.result().metrics().get("alpha_nominal")));
    result.put("alpha_nominal_abs_difference",
        Math.abs(Double.parseDouble(run.result().metrics().get("alpha_nominal")) - baseline.get("alpha_nominal").asDouble()));
    System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    spark.stop();
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
