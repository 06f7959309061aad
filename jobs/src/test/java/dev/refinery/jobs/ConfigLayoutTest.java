package dev.refinery.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.stage.StageGraph;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.testing.SharedSpark;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The one rule for config sections: a stage's own keys under its name, shared settings under their area's. */
class ConfigLayoutTest {
  /** Sections that are not one stage's: the platform's, and what several stages of an area share. */
  private static final Set<String> SHARED = Set.of("run-id", "lakehouse", "tables", "spark", "quarantine",
      "llm", "dedup", "training");

  private static final Set<String> TOP_LEVEL = ConfigFactory.parseFile(
      SharedSpark.repoRoot().resolve("conf/application.conf").toFile()).root().keySet();

  private final StageGraph graph = StageCatalog.discover().graph();
  private final List<StageSpec> specs = graph.order().stream().map(graph::spec).toList();
  private final Set<String> stageNames = new TreeSet<>(specs.stream().map(StageSpec::name).toList());

  @Test
  void everyTopLevelSectionIsAStageOrShared() {
    Set<String> sections = new TreeSet<>(TOP_LEVEL);
    Set<String> other = new TreeSet<>(sections);
    other.removeAll(stageNames);
    other.removeAll(SHARED);
    assertThat(other).as("sections of application.conf that are neither a stage's nor shared").isEmpty();
  }

  @Test
  void aStageReadsItsOwnSectionAndOnlySharedOnes() {
    Set<String> sections = TOP_LEVEL;
    for (StageSpec spec : specs) {
      if (sections.contains(spec.name())) {
        assertThat(spec.configSections()).as("config sections of %s", spec.name()).contains(spec.name());
      }
      for (String section : spec.configSections()) {
        String top = section.split("\\.")[0];
        assertThat(top.equals(spec.name()) || SHARED.contains(top))
            .as("%s reads %s, another stage's section", spec.name(), section).isTrue();
      }
    }
  }
}
