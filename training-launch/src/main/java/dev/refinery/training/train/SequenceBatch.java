package dev.refinery.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A right-padded batch of prompt + response sequences, cut to {@code maxLength}: the response keeps at least
 * half the budget (cut on the right), the prompt the rest (cut on the left, so the latest turn survives).
 * {@code responseMask[b, t] = 1} where position {@code t} predicts a response token; {@code lastIndex[b]} is the
 * position of each sequence's final token (where a reward head reads).
 */
public record SequenceBatch(int[][] ids, float[][] responseMask, int[] lastIndex, int[] responseTokens,
    boolean[] truncated) {

  public static SequenceBatch of(List<int[]> prompts, List<int[]> responses, int maxLength) {
    int batch = prompts.size();
    int[][] kept = new int[batch][];
    int[] promptLengths = new int[batch];
    int[] responseTokens = new int[batch];
    boolean[] truncated = new boolean[batch];
    int width = 2;
    for (int b = 0; b < batch; b++) {
      int[] prompt = prompts.get(b);
      int[] response = responses.get(b);
      int responseKeep = Math.min(response.length, maxLength - Math.min(prompt.length, maxLength / 2));
      int promptKeep = Math.min(prompt.length, maxLength - responseKeep);
      truncated[b] = responseKeep < response.length || promptKeep < prompt.length;
      int[] sequence = new int[promptKeep + responseKeep];
      System.arraycopy(prompt, prompt.length - promptKeep, sequence, 0, promptKeep);
      System.arraycopy(response, 0, sequence, promptKeep, responseKeep);
      kept[b] = sequence;
      promptLengths[b] = promptKeep;
      responseTokens[b] = responseKeep;
      width = Math.max(width, sequence.length);
    }
    int[][] ids = new int[batch][width];
    float[][] mask = new float[batch][width];
    int[] last = new int[batch];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(kept[b], 0, ids[b], 0, kept[b].length);
      // Position t predicts token t + 1; response tokens sit at [promptLength, length).
      for (int t = Math.max(0, promptLengths[b] - 1); t < kept[b].length - 1; t++) {
        mask[b][t] = 1f;
      }
      last[b] = kept[b].length - 1;
    }
    return new SequenceBatch(ids, mask, last, responseTokens, truncated);
  }

  public int size() {
    return ids.length;
  }

  public int width() {
    return ids[0].length;
  }

  public NDArray idsArray(NDManager manager) {
    return manager.create(flatten(ids), new Shape(size(), width()));
  }

  /** Next-token targets: ids shifted left by one (the last column repeats padding). */
  public NDArray targetsArray(NDManager manager) {
    int[][] targets = new int[size()][width()];
    for (int b = 0; b < size(); b++) {
      System.arraycopy(ids[b], 1, targets[b], 0, width() - 1);
    }
    return manager.create(flatten(targets), new Shape(size(), width()));
  }

  public NDArray maskArray(NDManager manager) {
    float[] flat = new float[size() * width()];
    for (int b = 0; b < size(); b++) {
      System.arraycopy(responseMask[b], 0, flat, b * width(), width());
    }
    return manager.create(flat, new Shape(size(), width()));
  }

  /** One-hot rows selecting each sequence's last position, {@code [batch, time]}. */
  public NDArray lastPositionArray(NDManager manager) {
    float[] flat = new float[size() * width()];
    for (int b = 0; b < size(); b++) {
      flat[b * width() + lastIndex[b]] = 1f;
    }
    return manager.create(flat, new Shape(size(), width()));
  }

  private static int[] flatten(int[][] rows) {
    int width = rows[0].length;
    int[] flat = new int[rows.length * width];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(rows[b], 0, flat, b * width, width);
    }
    return flat;
  }
}
