package dev.refinery.benchmarks.filtering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.filtering.pii.PiiDetector;
import dev.refinery.filtering.pii.PiiKind;
import dev.refinery.filtering.pii.PiiSpan;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Refinery half of benchmarks/pii/run: runs {@link PiiDetector} on the labelled set
 * (filtering/src/test/resources/pii/labelled.jsonl) and scores it exactly as PiiLabelledSetTest does: a found span
 * is a true positive when the record's labels hold the same (kind, start, end), otherwise a false positive of its
 * kind; a label not found is a false negative of its kind; precision is 1.0 when nothing was found and recall 1.0
 * when nothing was labelled. Adds F1 (0 when precision + recall is 0), false positives per {@code planted} group
 * (the hard-negative types are the {@code negative:TYPE} groups) and one-thread throughput (warm-up passes, then
 * timed passes over the whole set; CPU time of this thread and wall time).
 *
 * <p>Arguments: labelled JSONL, output JSON, timed passes (default 100).
 */
public final class PiiEvaluation {
  private static final int WARMUP_PASSES = 20;

  record Labelled(String id, String text, Set<PiiSpan> spans, String planted) {}

  /** Per-kind true positives, false positives and false negatives (PiiLabelledSetTest's Tally). */
  static final class Tally {
    int truePositives;
    int falsePositives;
    int falseNegatives;

    double precision() {
      return truePositives + falsePositives == 0 ? 1.0 : (double) truePositives / (truePositives + falsePositives);
    }

    double recall() {
      return truePositives + falseNegatives == 0 ? 1.0 : (double) truePositives / (truePositives + falseNegatives);
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    void add(Tally other) {
      truePositives += other.truePositives;
      falsePositives += other.falsePositives;
      falseNegatives += other.falseNegatives;
    }
  }

  private PiiEvaluation() {}

  public static void main(String[] args) throws IOException {
    Path labelled = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int timedPasses = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    ObjectMapper json = new ObjectMapper();
    List<Labelled> records = load(labelled, json);
    PiiDetector detector = new PiiDetector();

    Map<PiiKind, Tally> tallies = new EnumMap<>(PiiKind.class);
    for (PiiKind kind : PiiKind.values()) {
      tallies.put(kind, new Tally());
    }
    Map<String, Integer> fpByGroup = new TreeMap<>();
    Map<String, Integer> recordsByGroup = new TreeMap<>();
    List<String> mistakes = new ArrayList<>();
    for (Labelled record : records) {
      recordsByGroup.merge(record.planted(), 1, Integer::sum);
      fpByGroup.putIfAbsent(record.planted(), 0);
      Set<PiiSpan> found = new HashSet<>(detector.find(record.text()));
      for (PiiSpan span : found) {
        if (record.spans().contains(span)) {
          tallies.get(span.kind()).truePositives++;
        } else {
          tallies.get(span.kind()).falsePositives++;
          fpByGroup.merge(record.planted(), 1, Integer::sum);
          mistakes.add(record.id() + " false " + span.kind() + " '" + snippet(record.text(), span) + "'");
        }
      }
      for (PiiSpan span : record.spans()) {
        if (!found.contains(span)) {
          tallies.get(span.kind()).falseNegatives++;
          mistakes.add(record.id() + " missed " + span.kind() + " '" + snippet(record.text(), span) + "'");
        }
      }
    }

    ObjectNode result = json.createObjectNode();
    result.put("records", records.size());
    ObjectNode perKind = result.putObject("per_kind");
    Tally overall = new Tally();
    for (Map.Entry<PiiKind, Tally> entry : tallies.entrySet()) {
      overall.add(entry.getValue());
      perKind.set(entry.getKey().name(), metrics(json, entry.getValue()));
    }
    result.set("overall", metrics(json, overall));
    Tally shared = new Tally();
    for (PiiKind kind : List.of(PiiKind.EMAIL, PiiKind.IPV4, PiiKind.IPV6)) {
      shared.add(tallies.get(kind));
    }
    result.set("overall_email_ipv4_ipv6", metrics(json, shared));
    ObjectNode hardNegatives = result.putObject("false_positives_by_hard_negative_type");
    ObjectNode otherGroups = result.putObject("false_positives_by_other_group");
    for (Map.Entry<String, Integer> entry : fpByGroup.entrySet()) {
      ObjectNode group = json.createObjectNode();
      group.put("records", recordsByGroup.get(entry.getKey()));
      group.put("fp", entry.getValue());
      if (entry.getKey().startsWith("negative:")) {
        hardNegatives.set(entry.getKey().substring("negative:".length()), group);
      } else {
        otherGroups.set(entry.getKey(), group);
      }
    }
    result.set("mistakes", json.valueToTree(mistakes));

    long[] sink = new long[1];
    Runnable pass = () -> {
      for (Labelled record : records) {
        sink[0] += detector.find(record.text()).size();
      }
    };
    ObjectNode throughput = SignalsExport.time(json, records.size(), pass, WARMUP_PASSES, timedPasses);
    throughput.put("checksum_spans_per_pass", sink[0] / (WARMUP_PASSES + timedPasses));
    throughput.put("what", "PiiDetector.find(text) on every record, one thread");
    result.set("throughput", throughput);

    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    System.err.println("PiiEvaluation: " + records.size() + " records -> " + out);
  }

  private static String snippet(String text, PiiSpan span) {
    return text.substring(span.start(), span.end());
  }

  static ObjectNode metrics(ObjectMapper json, Tally tally) {
    ObjectNode metrics = json.createObjectNode();
    metrics.put("precision", SignalsExport.round(tally.precision(), 3));
    metrics.put("recall", SignalsExport.round(tally.recall(), 3));
    metrics.put("f1", SignalsExport.round(tally.f1(), 3));
    metrics.put("tp", tally.truePositives);
    metrics.put("fp", tally.falsePositives);
    metrics.put("fn", tally.falseNegatives);
    return metrics;
  }

  static List<Labelled> load(Path path, ObjectMapper json) throws IOException {
    List<Labelled> records = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(line);
        Set<PiiSpan> spans = new HashSet<>();
        for (JsonNode span : node.get("spans")) {
          spans.add(new PiiSpan(PiiKind.valueOf(span.get("kind").asText()), span.get("start").asInt(),
              span.get("end").asInt()));
        }
        String planted = node.hasNonNull("planted") ? node.get("planted").asText() : "unknown";
        records.add(new Labelled(node.get("id").asText(), node.get("text").asText(), spans, planted));
      }
    }
    return records;
  }
}
