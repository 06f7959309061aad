package dev.refinery.training.stage;

import dev.refinery.core.stage.StageProvider;

/** ref-logprobs under the stage contract, on the tiny model. */
class RefLogprobsContractTest extends TinyModelContract {
  @Override
  protected StageProvider provider() {
    return new TrainingStageProviders.RefLogprobs();
  }
}
