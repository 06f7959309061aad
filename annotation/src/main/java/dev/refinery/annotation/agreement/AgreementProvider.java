package dev.refinery.annotation.agreement;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageSpec;

public final class AgreementProvider implements StageProvider {
  @Override
  public StageSpec spec() {
    return AgreementStage.SPEC;
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new AgreementStage(AgreementOptions.from(config));
  }
}
