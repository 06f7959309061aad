package dev.refinery.synthesis.selfinstruct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pool of instructions a new candidate is compared with, answering "highest ROUGE-L against the pool"
 * without scoring every pair (the original Self-Instruct loop is O(N) LCS computations per candidate, O(N^2)
 * overall).
 *
 * <p>Blocking: an inverted index from token to the pool entries containing it. A pool entry that shares no
 * token with the candidate has LCS 0. For the others, LCS is at most the size of the multiset intersection
 * {@code c}, so {@code F <= 2c / (m + n)}. Entries are scored exactly in decreasing order of that bound and the
 * search stops as soon as the bound cannot beat the best exact score found: the result is the exact maximum,
 * the same as the brute-force scan (SimilarityIndexTest checks it on real instructions).
 */
public final class SimilarityIndex {
  /** The best match: its score, and its position in the pool (-1 when nothing shares a token). */
  public record Match(double score, int index, long exactComparisons) {}

  private final List<List<String>> entries = new ArrayList<>();
  private final List<Map<String, Integer>> counts = new ArrayList<>();
  private final Map<String, List<Integer>> postings = new HashMap<>();

  public int size() {
    return entries.size();
  }

  public void add(String text) {
    List<String> tokens = RougeL.tokenize(text);
    int id = entries.size();
    entries.add(tokens);
    Map<String, Integer> count = countTokens(tokens);
    counts.add(count);
    for (String token : count.keySet()) {
      postings.computeIfAbsent(token, t -> new ArrayList<>()).add(id);
    }
  }

  /** The exact highest ROUGE-L F-measure of {@code text} against the pool. */
  public Match best(String text) {
    List<String> tokens = RougeL.tokenize(text);
    if (tokens.isEmpty()) {
      return new Match(0.0, -1, 0);
    }
    Map<String, Integer> query = countTokens(tokens);
    Map<Integer, Integer> overlap = new HashMap<>();
    for (Map.Entry<String, Integer> entry : query.entrySet()) {
      List<Integer> ids = postings.get(entry.getKey());
      if (ids == null) {
        continue;
      }
      for (int id : ids) {
        overlap.merge(id, Math.min(entry.getValue(), counts.get(id).get(entry.getKey())), Integer::sum);
      }
    }
    List<long[]> candidates = new ArrayList<>(overlap.size());
    for (Map.Entry<Integer, Integer> entry : overlap.entrySet()) {
      candidates.add(new long[] {entry.getKey(), entry.getValue()});
    }
    int n = tokens.size();
    candidates.sort((a, b) -> Double.compare(bound(b, n), bound(a, n)));
    double best = 0.0;
    int bestIndex = -1;
    long exact = 0;
    for (long[] candidate : candidates) {
      // The bound is exact arithmetic on integers; the margin keeps float rounding from cutting a tie short.
      if (bound(candidate, n) < best - 1e-12) {
        break;
      }
      int id = (int) candidate[0];
      double score = RougeL.fmeasure(entries.get(id), tokens);
      exact++;
      if (score > best || (score == best && bestIndex >= 0 && id < bestIndex)) {
        best = score;
        bestIndex = id;
      }
    }
    return new Match(best, bestIndex, exact);
  }

  private double bound(long[] candidate, int n) {
    int m = entries.get((int) candidate[0]).size();
    return 2.0 * candidate[1] / (m + n);
  }

  private static Map<String, Integer> countTokens(List<String> tokens) {
    Map<String, Integer> count = new HashMap<>();
    for (String token : tokens) {
      count.merge(token, 1, Integer::sum);
    }
    return count;
  }
}
