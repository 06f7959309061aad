package dev.refinery.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster path: the packaged jobs jar launched by Spark's own {@code SparkSubmit} (what the
 * {@code spark-submit} script calls), in a separate JVM, writing a Delta table this test then reads.
 */
class SparkSubmitIT {
  @TempDir Path dir;

  @Test
  void ingestRunsUnderSparkSubmit() throws Exception {
    Path root = SharedSpark.repoRoot();
    Path jar = root.resolve("jobs/target/refinery-jobs.jar");
    assertThat(jar).exists();
    Path lakehouse = dir.resolve("lake");
    String sample = root.resolve("samples/web-sample/olmo-c4/c4-sample.02.json.gz").toString();

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(Arrays.asList(sparkOpens(root).split(" ")));
    command.addAll(List.of("-cp", root.resolve("jobs/target/lib") + File.separator + "*",
        "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]",
        "--conf", "spark.ui.enabled=false",
        "--class", "dev.refinery.jobs.RefineryMain",
        jar.toString(),
        "run", "ingest",
        "--set", "lakehouse.root=" + lakehouse,
        "--set", "ingest.paths=[\"" + sample + "\"]"));
    Path log = dir.resolve("submit.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("spark-submit finished; output:%n%s", output).isTrue();
    assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
    assertThat(output).contains("ingest          succeeded");

    RefineryConfig config = RefineryConfig.defaults().with("lakehouse.root", lakehouse.toString());
    Lakehouse tables = new Lakehouse(SharedSpark.session(), config);
    assertThat(tables.read(Tables.RAW_DOCUMENTS).count()).isEqualTo(10);
    assertThat(tables.read(Tables.PIPELINE_RUNS).where("stage = 'ingest' AND status = 'succeeded'").count())
        .isEqualTo(1);
  }

  private static String sparkOpens(Path root) throws Exception {
    String pom = Files.readString(root.resolve("pom.xml"));
    int start = pom.indexOf("<spark.jvm.opens>") + "<spark.jvm.opens>".length();
    return pom.substring(start, pom.indexOf("</spark.jvm.opens>")).trim();
  }
}
