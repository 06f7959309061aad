package dev.refinery.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Airflow DAG builds its tasks from {@code airflow/dags/refinery-stages.json} without a JVM; the build
 * writes that file (jobs/pom.xml, prepare-package), and this test fails when the committed copy is stale.
 */
class StageGraphFileTest {
  static final String FILE = "airflow/dags/refinery-stages.json";

  @Test
  void theCommittedStageGraphIsCurrent() throws Exception {
    Path file = SharedSpark.repoRoot().resolve(FILE);
    String expected = StageCatalog.discover().graph().toJson();

    assertThat(file).as("%s is missing: run bin/refinery stages --json > %s", FILE, FILE).exists();
    assertThat(Files.readString(file))
        .as("%s is stale: run bin/refinery stages --json > %s (or mvn package) and commit it", FILE, FILE)
        .isEqualTo(expected);
  }
}
