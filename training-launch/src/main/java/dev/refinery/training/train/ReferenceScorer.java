package dev.refinery.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.refinery.llm.djl.LlamaModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference pass of DPO (TRL's {@code precompute_ref_log_probs}): summed log-probs of each pair's chosen and
 * rejected responses under a frozen model, in batches, without building an autograd graph.
 */
public final class ReferenceScorer {
  private ReferenceScorer() {}

  /** One pair's scores; {@code truncated} when prompt or response was cut to {@code maxLength}. */
  public record Scores(double chosen, double rejected, int chosenTokens, int rejectedTokens, boolean truncated) {}

  public static List<Scores> score(LlamaModel model, List<TokenizedPair> pairs, int batchSize, int maxLength) {
    List<Scores> out = new ArrayList<>(pairs.size());
    for (int start = 0; start < pairs.size(); start += batchSize) {
      List<TokenizedPair> slice = pairs.subList(start, Math.min(pairs.size(), start + batchSize));
      SequenceBatch batch = pairBatch(slice, maxLength);
      try (NDManager manager = model.manager().newSubManager(); NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray logps = SequenceScorer.responseLogProbs(model, batch, manager);
        float[] values = logps.toFloatArray();
        int n = slice.size();
        for (int i = 0; i < n; i++) {
          out.add(new Scores(values[i], values[n + i], batch.responseTokens()[i], batch.responseTokens()[n + i],
              batch.truncated()[i] || batch.truncated()[n + i]));
        }
      }
    }
    return out;
  }

  /** Fills in reference log-probs where missing. */
  public static List<TokenizedPair> withReference(LlamaModel model, List<TokenizedPair> pairs, int batchSize,
      int maxLength) {
    List<TokenizedPair> missing = pairs.stream().filter(p -> !p.hasReference()).toList();
    if (missing.isEmpty()) {
      return pairs;
    }
    List<Scores> scores = score(model, missing, batchSize, maxLength);
    List<TokenizedPair> out = new ArrayList<>(pairs.size());
    int next = 0;
    for (TokenizedPair pair : pairs) {
      if (pair.hasReference()) {
        out.add(pair);
      } else {
        Scores s = scores.get(next++);
        out.add(pair.withReference(s.chosen(), s.rejected()));
      }
    }
    return out;
  }

  /** Chosen sequences first, then rejected ones, in one batch. */
  static SequenceBatch pairBatch(List<TokenizedPair> pairs, int maxLength) {
    List<int[]> prompts = new ArrayList<>();
    List<int[]> responses = new ArrayList<>();
    for (TokenizedPair p : pairs) {
      prompts.add(p.prompt());
      responses.add(p.chosen());
    }
    for (TokenizedPair p : pairs) {
      prompts.add(p.prompt());
      responses.add(p.rejected());
    }
    return SequenceBatch.of(prompts, responses, maxLength);
  }
}
