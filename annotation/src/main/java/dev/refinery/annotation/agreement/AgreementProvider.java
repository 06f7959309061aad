package dev.refinery.annotation.agreement;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;

public final class AgreementProvider implements StageProvider {
  @Override
  public String name() {
    return "agreement";
  }

  @Override
  public Stage create(RefineryConfig config) {
    return new AgreementStage(AgreementOptions.from(config));
  }
}
