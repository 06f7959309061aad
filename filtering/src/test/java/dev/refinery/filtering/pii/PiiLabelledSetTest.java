package dev.refinery.filtering.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exact-span precision and recall of {@link PiiDetector} on the labelled set built by
 * {@code benchmarks/pii/make_labelled_set.py}: real web sentences with planted PII and hard negatives.
 */
class PiiLabelledSetTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Floors just under what the detector reaches on the current set (precision 1.0 everywhere, recall 1.0 except
  // phone numbers, 0.935: four real local or vanity numbers are missed by design). The floors, 0.95
  // precision and 0.90 recall, are the least these may ever be loosened to.
  private static final double MIN_PRECISION = 0.99;
  private static final double MIN_RECALL = 0.99;
  private static final double MIN_PHONE_RECALL = 0.93;

  private record Labelled(String id, String text, Set<PiiSpan> spans) {}

  /** Per-kind true positives, false positives and false negatives. */
  private static final class Tally {
    int truePositives;
    int falsePositives;
    int falseNegatives;

    double precision() {
      return truePositives + falsePositives == 0 ? 1.0 : (double) truePositives / (truePositives + falsePositives);
    }

    double recall() {
      return truePositives + falseNegatives == 0 ? 1.0 : (double) truePositives / (truePositives + falseNegatives);
    }
  }

  private static List<Labelled> load() throws IOException {
    List<Labelled> records = new ArrayList<>();
    try (InputStream stream = PiiLabelledSetTest.class.getResourceAsStream("/pii/labelled.jsonl");
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        JsonNode node = JSON.readTree(line);
        Set<PiiSpan> spans = new HashSet<>();
        for (JsonNode span : node.get("spans")) {
          spans.add(new PiiSpan(PiiKind.valueOf(span.get("kind").asText()), span.get("start").asInt(),
              span.get("end").asInt()));
        }
        records.add(new Labelled(node.get("id").asText(), node.get("text").asText(), spans));
      }
    }
    return records;
  }

  @Test
  void meetsPrecisionAndRecallOnEveryKind() throws IOException {
    List<Labelled> records = load();
    assertThat(records).hasSizeGreaterThan(300);
    PiiDetector detector = new PiiDetector();
    Map<PiiKind, Tally> tallies = new EnumMap<>(PiiKind.class);
    for (PiiKind kind : PiiKind.values()) {
      tallies.put(kind, new Tally());
    }
    List<String> mistakes = new ArrayList<>();
    for (Labelled record : records) {
      Set<PiiSpan> found = new HashSet<>(detector.find(record.text()));
      for (PiiSpan span : found) {
        if (record.spans().contains(span)) {
          tallies.get(span.kind()).truePositives++;
        } else {
          tallies.get(span.kind()).falsePositives++;
          mistakes.add(record.id() + " false " + span.kind() + " '" + record.text().substring(span.start(), span.end()) + "'");
        }
      }
      for (PiiSpan span : record.spans()) {
        if (!found.contains(span)) {
          tallies.get(span.kind()).falseNegatives++;
          mistakes.add(record.id() + " missed " + span.kind() + " '" + record.text().substring(span.start(), span.end()) + "'");
        }
      }
    }
    Tally overall = new Tally();
    Map<String, Object> report = new LinkedHashMap<>();
    for (Map.Entry<PiiKind, Tally> entry : tallies.entrySet()) {
      Tally tally = entry.getValue();
      overall.truePositives += tally.truePositives;
      overall.falsePositives += tally.falsePositives;
      overall.falseNegatives += tally.falseNegatives;
      report.put(entry.getKey().name(), metrics(tally));
    }
    report.put("OVERALL", metrics(overall));
    System.out.println(JSON.writeValueAsString(Map.of("pii_labelled_set", report)));
    mistakes.forEach(mistake -> System.out.println("pii mistake: " + mistake));

    for (Map.Entry<PiiKind, Tally> entry : tallies.entrySet()) {
      assertThat(entry.getValue().precision()).as("precision of %s", entry.getKey()).isGreaterThanOrEqualTo(MIN_PRECISION);
      double minRecall = entry.getKey() == PiiKind.PHONE ? MIN_PHONE_RECALL : MIN_RECALL;
      assertThat(entry.getValue().recall()).as("recall of %s", entry.getKey()).isGreaterThanOrEqualTo(minRecall);
    }
  }

  private static Map<String, Object> metrics(Tally tally) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("precision", Math.round(tally.precision() * 1000) / 1000.0);
    metrics.put("recall", Math.round(tally.recall() * 1000) / 1000.0);
    metrics.put("tp", tally.truePositives);
    metrics.put("fp", tally.falsePositives);
    metrics.put("fn", tally.falseNegatives);
    return metrics;
  }
}
