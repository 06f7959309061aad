package dev.refinery.annotation.imports;

import dev.refinery.annotation.labels.Judgment;
import dev.refinery.annotation.labels.PreferencePair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What readers produce: judgments, pairs, and rejected records with their file, position and reason. Labels
 * read = judgments + rejected labels + duplicates, so the stage's counts reconcile.
 */
final class ImportSink {
  /** A record that could not be used: goes to {@code quarantine}. */
  record Rejected(String source, String position, String reason, String raw) {}

  private final Map<String, Judgment> judgments = new LinkedHashMap<>();
  private final Map<String, PreferencePair> pairs = new LinkedHashMap<>();
  private final List<Rejected> rejected = new ArrayList<>();
  private final Map<String, Long> dropped = new TreeMap<>();
  private final Map<String, Long> pairsDropped = new TreeMap<>();
  /** Item ids of a source mapped to pair ids, for files that name items without their content. */
  private final Map<String, String> itemToPair = new HashMap<>();
  private long pairRecords;
  private long labelsRead;
  private long recordsRejected;

  void judgment(Judgment judgment) {
    labelsRead++;
    if (judgments.putIfAbsent(judgment.pairId() + "\u0000" + judgment.raterId(), judgment) != null) {
      dropped.merge("duplicate-label", 1L, Long::sum);
    }
  }

  void pair(PreferencePair pair) {
    pairRecords++;
    pairs.putIfAbsent(pair.pairId(), pair);
  }

  /** A pair record that was read but is not a pair (an HH-RLHF line that does not split): dropped by reason. */
  void dropPair(String reason) {
    pairsDropped.merge(reason, 1L, Long::sum);
  }

  /** A label that could not be used (it counts as read). */
  void rejectLabel(String source, String position, String reason, String raw) {
    labelsRead++;
    rejected.add(new Rejected(source, position, reason, raw));
  }

  /** A whole record that could not be used (a pair, or a line that is not even JSON). */
  void rejectRecord(String source, String position, String reason, String raw) {
    recordsRejected++;
    rejected.add(new Rejected(source, position, reason, raw));
  }

  void mapItem(String source, String item, String pairId) {
    itemToPair.put(source + "\u0000" + item, pairId);
  }

  String pairOf(String source, String item) {
    return itemToPair.get(source + "\u0000" + item);
  }

  List<Judgment> judgments() {
    return List.copyOf(judgments.values());
  }

  List<PreferencePair> pairs() {
    return List.copyOf(pairs.values());
  }

  List<Rejected> rejected() {
    return rejected;
  }

  Map<String, Long> dropped() {
    return dropped;
  }

  /** Pair records dropped, by reason (duplicates not included: they are pairRecords - pairs). */
  Map<String, Long> pairsDropped() {
    return pairsDropped;
  }

  long labelsRead() {
    return labelsRead;
  }

  long recordsRejected() {
    return recordsRejected;
  }

  long pairRecords() {
    return pairRecords;
  }
}
