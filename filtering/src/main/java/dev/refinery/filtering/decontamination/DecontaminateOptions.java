package dev.refinery.filtering.decontamination;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Validated options of the {@code decontaminate} stage (keys under {@code decontaminate}). */
public record DecontaminateOptions(
    int ngramSize, List<EvalSet> evalSets, Action action, long broadcastMaxNgrams, List<Check> checks) {

  /** What a contaminated row becomes. */
  public enum Action {
    /** Recorded with action drop: the training export leaves it out; counted under drop reason contaminated. */
    DROP,
    /** Recorded with action flag only; counted as the metric {@code flagged}. */
    FLAG
  }

  /** The tables that can be checked, with their key and text fields. */
  public enum Check {
    /** documents_clean.text, or raw_documents.text when documents_clean does not exist. */
    DOCUMENTS,
    INSTRUCTIONS,
    PREFERENCE_PAIRS,
    CAI_REVISIONS
  }

  /** An eval file's format. */
  public enum Format {
    /** JSON lines, gzipped when the name ends in .gz. */
    JSONL,
    PARQUET
  }

  /**
   * One evaluation set: a file (or folder, or glob) of records; each record is an item whose n-grams come from
   * {@code textFields}. {@code idField} empty: the item id is its 1-based record number in the file.
   */
  public record EvalSet(String name, String path, Format format, Optional<String> idField, List<String> textFields)
      implements Serializable {}

  private static final String PREFIX = "decontaminate.";

  public static DecontaminateOptions from(RefineryConfig config) {
    int ngramSize = config.getInt(PREFIX + "ngram-size", 1, 1000);
    List<? extends Config> entries = config.getConfigList(PREFIX + "eval-sets");
    config.check(PREFIX + "eval-sets", entries, e -> !e.isEmpty(), "at least one eval set");
    List<EvalSet> sets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      EvalSet set = evalSet(entries.get(i), PREFIX + "eval-sets[" + i + "]");
      if (!names.add(set.name())) {
        throw RefineryException.userError(
            "Invalid config key '%seval-sets': eval set name '%s' is used twice", PREFIX, set.name());
      }
      sets.add(set);
    }
    List<String> checks = config.check(PREFIX + "check", config.getStringList(PREFIX + "check"),
        c -> !c.isEmpty() && c.stream().allMatch(DecontaminateOptions::isCheck),
        "a non-empty list among documents, instructions, preference-pairs, cai-revisions");
    return new DecontaminateOptions(
        ngramSize,
        List.copyOf(sets),
        config.getEnum(PREFIX + "action", Action.class),
        config.check(PREFIX + "broadcast-max-ngrams", config.getLong(PREFIX + "broadcast-max-ngrams"), n -> n >= 0,
            "a count of n-grams >= 0"),
        checks.stream().map(c -> Check.valueOf(c.toUpperCase(Locale.ROOT).replace('-', '_'))).distinct().toList());
  }

  private static boolean isCheck(String name) {
    for (Check check : Check.values()) {
      if (RefineryConfig.configName(check).equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static EvalSet evalSet(Config entry, String key) {
    String name = string(entry, key, "name");
    if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
      throw invalid(key + ".name", "a name of lower-case letters, digits, '.', '_' or '-'", name);
    }
    String path = string(entry, key, "path");
    if (path.isBlank()) {
      throw invalid(key + ".path", "a file, folder or glob", "an empty string");
    }
    String formatName = string(entry, key, "format").trim().toLowerCase(Locale.ROOT);
    Format format = switch (formatName) {
      case "jsonl" -> Format.JSONL;
      case "parquet" -> Format.PARQUET;
      default -> throw invalid(key + ".format", "one of jsonl, parquet", "'" + formatName + "'");
    };
    String idField = string(entry, key, "id-field");
    List<String> textFields;
    try {
      textFields = entry.getStringList("text-fields");
    } catch (ConfigException.Missing e) {
      throw RefineryException.userError("Missing config key '%s.text-fields': expected a list of field names", key);
    } catch (ConfigException.WrongType e) {
      throw invalid(key + ".text-fields", "a list of field names", "another type");
    }
    if (textFields.isEmpty() || textFields.stream().anyMatch(String::isBlank)) {
      throw invalid(key + ".text-fields", "a non-empty list of field names", textFields);
    }
    Set<String> known = Set.of("name", "path", "format", "id-field", "text-fields");
    for (String sub : entry.root().keySet()) {
      if (!known.contains(sub)) {
        throw RefineryException.userError(
            "Unknown config key '%s.%s'; an eval set has name, path, format, id-field and text-fields", key, sub);
      }
    }
    return new EvalSet(name, path, format, idField.isBlank() ? Optional.empty() : Optional.of(idField),
        List.copyOf(textFields));
  }

  private static String string(Config entry, String key, String sub) {
    try {
      return entry.getString(sub);
    } catch (ConfigException.Missing e) {
      throw RefineryException.userError("Missing config key '%s.%s': expected a string", key, sub);
    } catch (ConfigException.WrongType e) {
      throw invalid(key + "." + sub, "a string", "another type");
    }
  }

  private static RefineryException invalid(String key, String expected, Object got) {
    return RefineryException.userError("Invalid config key '%s': expected %s but got %s", key, expected, got);
  }
}
