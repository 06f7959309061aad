package dev.refinery.benchmarks.filtering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import dev.refinery.filtering.signals.DocumentSignals;
import dev.refinery.filtering.signals.QualityPresets;
import dev.refinery.filtering.signals.SignalColumn;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The Refinery half of benchmarks/filtering/parity: reads real documents from samples/, computes
 * {@link DocumentSignals} and each preset's keep/drop decision with its first failing rule, writes them as JSON
 * lines for python/filtering/datatrove_parity.py, and times signals + the three presets' rules, and Lingua language
 * ID alone, on this one thread (warm-up pass, then timed passes; CPU time of this thread and wall time).
 *
 * <p>The presets' predicates are all {@code column OP number} or {@code NOT column}; they are evaluated here by a
 * tiny evaluator (below) instead of Spark, with the same double comparison Spark makes.
 *
 * <p>Arguments: samples folder, output JSONL, output stats JSON, timed passes.
 */
public final class SignalsExport {
  static final List<String> PRESETS = List.of("gopher", "c4", "fineweb");
  // conf/application.conf's quality-signals.languages and language-max-chars, built as LanguageIdentifier does.
  static final List<Language> LANGUAGES = List.of(Language.ENGLISH, Language.GERMAN, Language.FRENCH,
      Language.SPANISH, Language.ITALIAN, Language.PORTUGUESE, Language.DUTCH, Language.RUSSIAN, Language.CHINESE,
      Language.JAPANESE, Language.ARABIC, Language.HINDI);
  static final int LANGUAGE_MAX_CHARS = 2000;

  record Doc(String id, String source, String text) {}

  /** One predicate of a preset: {@code column OP number} or {@code NOT column}. */
  record Rule(String name, int column, String op, double value) {
    private static final Pattern COMPARISON = Pattern.compile("([a-z0-9_]+) (>=|<=|>|<) (-?[0-9.]+)");
    private static final Pattern NOT = Pattern.compile("NOT ([a-z0-9_]+)");

    static Rule parse(String name, String predicate, Map<String, Integer> columns) {
      Matcher not = NOT.matcher(predicate);
      if (not.matches()) {
        return new Rule(name, index(columns, not.group(1)), "NOT", 0);
      }
      Matcher comparison = COMPARISON.matcher(predicate);
      if (!comparison.matches()) {
        throw new IllegalArgumentException("Cannot evaluate rule " + name + ": " + predicate);
      }
      return new Rule(name, index(columns, comparison.group(1)), comparison.group(2),
          Double.parseDouble(comparison.group(3)));
    }

    private static int index(Map<String, Integer> columns, String name) {
      Integer index = columns.get(name);
      if (index == null) {
        throw new IllegalArgumentException("Cannot find signal column " + name);
      }
      return index;
    }

    boolean keeps(Object[] values) {
      Object signal = values[column];
      if (op.equals("NOT")) {
        return !((Boolean) signal);
      }
      double x = ((Number) signal).doubleValue();
      return switch (op) {
        case ">=" -> x >= value;
        case "<=" -> x <= value;
        case ">" -> x > value;
        default -> x < value;
      };
    }
  }

  private SignalsExport() {}

  public static void main(String[] args) throws IOException {
    Path samples = Path.of(args[0]);
    Path outJsonl = Path.of(args[1]);
    Path outStats = Path.of(args[2]);
    int timedPasses = Integer.parseInt(args[3]);
    ObjectMapper json = new ObjectMapper();

    Map<String, Integer> columns = new LinkedHashMap<>();
    for (int i = 0; i < DocumentSignals.COLUMNS.size(); i++) {
      columns.put(DocumentSignals.COLUMNS.get(i).name(), i);
    }
    Map<String, List<Rule>> presets = new LinkedHashMap<>();
    for (String preset : PRESETS) {
      List<Rule> rules = new ArrayList<>();
      QualityPresets.rules(preset).forEach((name, predicate) -> rules.add(Rule.parse(name, predicate, columns)));
      presets.put(preset, rules);
    }

    Map<String, Integer> sources = new LinkedHashMap<>();
    List<Doc> docs = load(samples, json, sources);

    // The export: signals and every preset's decision per document.
    Files.createDirectories(outJsonl.toAbsolutePath().getParent());
    try (BufferedWriter writer = Files.newBufferedWriter(outJsonl, StandardCharsets.UTF_8)) {
      for (Doc doc : docs) {
        Object[] values = DocumentSignals.compute(doc.text());
        ObjectNode row = json.createObjectNode();
        row.put("id", doc.id());
        row.put("source", doc.source());
        row.put("text", doc.text());
        ObjectNode decisions = row.putObject("refinery");
        for (Map.Entry<String, List<Rule>> preset : presets.entrySet()) {
          String failed = firstFailing(preset.getValue(), values);
          ObjectNode decision = decisions.putObject(preset.getKey());
          decision.put("keep", failed == null);
          decision.put("reason", failed);
        }
        ObjectNode signals = row.putObject("signals");
        for (int i = 0; i < values.length; i++) {
          signals.set(DocumentSignals.COLUMNS.get(i).name(), json.valueToTree(values[i]));
        }
        writer.write(json.writeValueAsString(row));
        writer.newLine();
      }
    }

    ObjectNode stats = json.createObjectNode();
    stats.put("documents", docs.size());
    stats.set("sources", json.valueToTree(sources));
    stats.put("signal_columns", DocumentSignals.COLUMNS.size());

    // Signals + all three presets' rules, one thread.
    long[] sink = new long[1];
    Runnable signalsPass = () -> {
      for (Doc doc : docs) {
        Object[] values = DocumentSignals.compute(doc.text());
        for (List<Rule> rules : presets.values()) {
          sink[0] += firstFailing(rules, values) == null ? 1 : 0;
        }
      }
    };
    stats.set("signals_and_filter", time(json, docs.size(), signalsPass, 2, timedPasses));

    // Language ID alone, as QualitySignalsStage does it (the same builder as core.text.LanguageIdentifier, built here to time it alone).
    long loadStart = System.nanoTime();
    LanguageDetector detector = LanguageDetectorBuilder.fromLanguages(LANGUAGES.toArray(new Language[0]))
        .withLowAccuracyMode().build();
    double buildSeconds = (System.nanoTime() - loadStart) / 1e9;
    Map<String, Integer> detected = new TreeMap<>();
    Runnable languagePass = () -> {
      detected.clear();
      for (Doc doc : docs) {
        String language = identify(detector, doc.text());
        detected.merge(language == null ? "none" : language, 1, Integer::sum);
      }
    };
    ObjectNode language = time(json, docs.size(), languagePass, 1, timedPasses);
    language.put("detector_build_seconds", round(buildSeconds, 3));
    language.put("detector", "Lingua low-accuracy mode, " + LANGUAGES.size() + " languages (conf/application.conf),"
        + " first " + LANGUAGE_MAX_CHARS + " chars");
    language.set("languages_detected", json.valueToTree(detected));
    stats.set("language_id", language);
    stats.put("checksum", sink[0]);
    Files.writeString(outStats, json.writerWithDefaultPrettyPrinter().writeValueAsString(stats));
    System.err.println("SignalsExport: " + docs.size() + " documents " + sources + " -> " + outJsonl);
  }

  static String firstFailing(List<Rule> rules, Object[] values) {
    for (Rule rule : rules) {
      if (!rule.keeps(values)) {
        return rule.name();
      }
    }
    return null;
  }

  static String identify(LanguageDetector detector, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String sample = text.length() > LANGUAGE_MAX_CHARS ? text.substring(0, LANGUAGE_MAX_CHARS) : text;
    SortedMap<Language, Double> confidences = detector.computeLanguageConfidenceValues(sample);
    if (confidences.isEmpty() || confidences.firstKey() == Language.UNKNOWN) {
      return null;
    }
    return confidences.firstKey().getIsoCode639_1().name().toLowerCase(Locale.ROOT);
  }

  /** Warm-up passes, then timed passes on this thread: docs/s by this thread's CPU time and by wall time. */
  static ObjectNode time(ObjectMapper json, int docs, Runnable pass, int warmups, int passes) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < warmups; i++) {
      pass.run();
    }
    long cpu = threads.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    for (int i = 0; i < passes; i++) {
      pass.run();
    }
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
    double wallSeconds = (System.nanoTime() - wall) / 1e9;
    ObjectNode out = json.createObjectNode();
    out.put("threads", 1);
    out.put("warmup_passes", warmups);
    out.put("timed_passes", passes);
    out.put("documents_per_pass", docs);
    out.put("timed_cpu_seconds", round(cpuSeconds, 4));
    out.put("timed_wall_seconds", round(wallSeconds, 4));
    out.put("docs_per_s_per_core_cpu", round((double) docs * passes / cpuSeconds, 1));
    out.put("docs_per_s_wall", round((double) docs * passes / wallSeconds, 1));
    return out;
  }

  static double round(double value, int places) {
    double scale = Math.pow(10, places);
    return Math.round(value * scale) / scale;
  }

  // ---- documents ---------------------------------------------------------------------------------------------

  static List<Doc> load(Path samples, ObjectMapper json, Map<String, Integer> sources) throws IOException {
    List<Doc> docs = new ArrayList<>();
    Path web = samples.resolve("web-sample");
    // agreement_data.jsonl.gz is a subset of majority_data: not read, so no text appears twice.
    jsonLines(web.resolve("dclm-human-quality/majority_data.jsonl.gz"), "text", null, json, docs, sources);
    for (String folder : List.of("dolma-ccnet", "olmo-c4")) {
      try (Stream<Path> files = Files.list(web.resolve(folder))) {
        for (Path file : files.filter(p -> p.toString().endsWith(".json.gz") || p.toString().endsWith(".jsonl.gz"))
            .sorted().toList()) {
          jsonLines(file, "text", null, json, docs, sources);
        }
      }
    }
    jsonLines(samples.resolve("near-dup/clough-stevenson-plagiarism/corpus.jsonl"), "text", "file", json, docs,
        sources);
    wikitextSections(samples.resolve("reference-corpus/wikitext-2-raw.test.raw.gz"), docs, sources);
    return docs;
  }

  static BufferedReader reader(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  static void jsonLines(Path file, String textField, String idField, ObjectMapper json, List<Doc> docs,
      Map<String, Integer> sources) throws IOException {
    String source = file.getParent().getFileName() + "/" + file.getFileName();
    try (BufferedReader in = reader(file)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(line);
        JsonNode text = node.get(textField);
        if (text == null || !text.isTextual()) {
          continue;
        }
        String id = source + ":" + (idField != null && node.hasNonNull(idField) ? node.get(idField).asText() : number);
        docs.add(new Doc(id, source, text.asText()));
        sources.merge(source, 1, Integer::sum);
      }
    }
  }

  private static final Pattern TITLE = Pattern.compile(" = ([^=].*) = ");
  private static final Pattern SECTION = Pattern.compile(" = = ([^=].*) = = ");
  private static final Pattern SUBHEADING = Pattern.compile(" (= )+([^=].*?)( =)+ ");

  /**
   * WikiText-2 raw test, one document per article lead (title line + paragraphs before the first section) and per
   * level-2 section (heading line + paragraphs, its subsections included). Each line is stripped of WikiText's
   * padding spaces and \r; headings become their bare text; paragraphs are joined by one newline.
   */
  static void wikitextSections(Path file, List<Doc> docs, Map<String, Integer> sources) throws IOException {
    String source = file.getParent().getFileName() + "/" + file.getFileName();
    List<String> current = new ArrayList<>();
    String[] name = {null};
    Runnable flush = () -> {
      if (name[0] != null && current.size() > 1) {
        docs.add(new Doc(source + ":" + name[0], source, String.join("\n", current)));
        sources.merge(source, 1, Integer::sum);
      }
      current.clear();
    };
    String title = null;
    try (BufferedReader in = reader(file)) {
      String line;
      while ((line = in.readLine()) != null) {
        String raw = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        Matcher titleMatch = TITLE.matcher(raw);
        Matcher sectionMatch = SECTION.matcher(raw);
        if (titleMatch.matches()) {
          flush.run();
          title = titleMatch.group(1).strip();
          name[0] = title + "#lead";
          current.add(title);
        } else if (sectionMatch.matches()) {
          flush.run();
          name[0] = title + "#" + sectionMatch.group(1).strip();
          current.add(sectionMatch.group(1).strip());
        } else if (SUBHEADING.matcher(raw).matches()) {
          Matcher sub = SUBHEADING.matcher(raw);
          sub.matches();
          current.add(sub.group(2).strip());
        } else if (!raw.isBlank()) {
          current.add(raw.strip());
        }
      }
    }
    flush.run();
  }
}
