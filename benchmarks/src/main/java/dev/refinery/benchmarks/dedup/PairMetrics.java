package dev.refinery.benchmarks.dedup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Pair precision / recall / F1 of predicted groups against true pairs. */
record PairMetrics(long truePairs, long predictedPairs, long hits, double precision, double recall, double f1) {

  static PairMetrics of(Set<List<String>> truth, Set<List<String>> predicted) {
    Set<List<String>> hits = new HashSet<>(predicted);
    hits.retainAll(truth);
    double p = predicted.isEmpty() ? 1.0 : (double) hits.size() / predicted.size();
    double r = truth.isEmpty() ? 1.0 : (double) hits.size() / truth.size();
    double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
    return new PairMetrics(truth.size(), predicted.size(), hits.size(), Bench.round(p, 4), Bench.round(r, 4),
        Bench.round(f, 4));
  }

  static Set<List<String>> pairsOfGroups(Iterable<? extends Iterable<String>> groups) {
    Set<List<String>> pairs = new HashSet<>();
    for (Iterable<String> group : groups) {
      List<String> sorted = new ArrayList<>(new TreeSet<String>() {
        {
          group.forEach(this::add);
        }
      });
      for (int i = 0; i < sorted.size(); i++) {
        for (int j = i + 1; j < sorted.size(); j++) {
          pairs.add(List.of(sorted.get(i), sorted.get(j)));
        }
      }
    }
    return pairs;
  }

  Map<String, Object> toMap() {
    return Map.of("true_pairs", truePairs, "predicted_pairs", predictedPairs, "correct_pairs", hits,
        "precision", precision, "recall", recall, "f1", f1);
  }
}
