package dev.refinery.training.stage;

import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.table.Tables;
import java.util.Set;

/**
 * train-dpo under the stage contract, on the tiny model. {@code training_runs} logs one training run per
 * pipeline run ({@code training_run_id} hashes the run id), so a rerun adds runs rather than leaving it identical.
 */
class TrainDpoContractTest extends TinyModelContract {
  @Override
  protected StageProvider provider() {
    return new TrainingStageProviders.TrainDpo();
  }

  @Override
  protected Set<String> runLogTables() {
    return Set.of(Tables.TRAINING_RUNS);
  }
}
