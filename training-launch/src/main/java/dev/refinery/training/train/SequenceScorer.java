package dev.refinery.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.refinery.llm.djl.LlamaModel;

/** Summed log-probabilities of response tokens, and last-token hidden states, over a {@link SequenceBatch}. */
public final class SequenceScorer {
  private SequenceScorer() {}

  /** {@code [batch]}: sum over response tokens of log p(token | everything before it). */
  public static NDArray responseLogProbs(LlamaModel model, SequenceBatch batch, NDManager manager) {
    NDArray hidden = model.hidden(batch.idsArray(manager));
    return responseLogProbs(model, hidden, batch, manager);
  }

  public static NDArray responseLogProbs(LlamaModel model, NDArray hidden, SequenceBatch batch, NDManager manager) {
    NDArray logProbs = model.logits(hidden).logSoftmax(-1);
    NDArray targets = batch.targetsArray(manager).toType(DataType.INT64, false).expandDims(-1);
    NDArray picked = logProbs.gather(targets, -1).squeeze(-1);
    return picked.mul(batch.maskArray(manager)).sum(new int[] {1});
  }

  /** {@code [batch, hidden]}: the hidden state at each sequence's last token. */
  public static NDArray lastHidden(NDArray hidden, SequenceBatch batch, NDManager manager) {
    return hidden.mul(batch.lastPositionArray(manager).expandDims(-1)).sum(new int[] {1});
  }
}
