package dev.refinery.training.export;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

/** Builds {@link ExportStage} from {@code export}. */
public final class ExportStageProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return ExportStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    double testFraction = config.getDouble("export.test-fraction", 0.0, 1.0);
    String seed = config.getString("export.split-seed");
    boolean requireAgreement = config.getBoolean("export.require-agreement");
    return new ExportStage(testFraction, seed, requireAgreement);
  }
}
