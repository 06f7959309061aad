package dev.refinery.annotation.imports;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;
import java.util.List;

/** Builds {@link ImportPairsStage} from {@code import-pairs}. */
public final class ImportPairsStageProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return ImportPairsStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    // Empty paths are an error only when the stage runs, so that `refinery stages` and the DAG can list it.
    List<String> paths = config.getStringList("import-pairs.paths");
    String source = config.getString("import-pairs.source-name");
    config.check("import-pairs.source-name", source, s -> !s.isBlank(), "a non-empty name");
    int maxPairs = config.getInt("import-pairs.max-pairs", 0, Integer.MAX_VALUE);
    return new ImportPairsStage(paths, source, maxPairs);
  }
}
