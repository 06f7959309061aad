package dev.refinery.filtering.quality;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.filtering.signals.QualityPresets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validated options of {@code quality-filter} (keys under {@code quality-filter}), resolved into the ordered list
 * of rules a document must pass: the presets' rules in the order given, then the language rule, then the
 * classifier's score, then the custom rules. A document's drop reason is the first rule it fails.
 */
record QualityFilterOptions(List<QualityRule> rules) {

  static QualityFilterOptions from(RefineryConfig config) {
    Map<String, QualityRule> rules = new LinkedHashMap<>();
    for (String preset : config.getStringList("quality-filter.presets")) {
      Map<String, String> presetRules;
      try {
        presetRules = QualityPresets.rules(preset);
      } catch (IllegalArgumentException e) {
        throw RefineryException.userError("Invalid quality-filter.presets: %s", e.getMessage());
      }
      presetRules.forEach((name, keepIf) -> rules.put(name, new QualityRule(name, keepIf)));
    }
    List<String> languages = config.getStringList("quality-filter.languages");
    double minConfidence = config.getDouble("quality-filter.min-language-confidence", 0, 1);
    if (!languages.isEmpty()) {
      for (String language : languages) {
        config.check("quality-filter.languages", language, l -> l.matches("[a-z]{2}"),
            "ISO 639-1 codes such as en, de, fr");
      }
      String quoted = String.join(", ", languages.stream().map(l -> "'" + l + "'").toList());
      rules.put("language", new QualityRule("language",
          "language IN (" + quoted + ") AND language_confidence >= " + minConfidence));
    }
    double minQualityScore = config.getDouble("quality-filter.min-quality-score", 0, 1);
    if (minQualityScore > 0) {
      // Null without a trained classifier: the document fails, so turning this on without a model drops all.
      rules.put("quality_classifier", new QualityRule("quality_classifier", "quality_score >= " + minQualityScore));
    }
    for (QualityRule custom : customRules(config)) {
      if (rules.containsKey(custom.name())) {
        throw RefineryException.userError("Invalid quality-filter.rules: rule '%s' is defined twice (a preset "
            + "or the language rule has that name); give it another name", custom.name());
      }
      rules.put(custom.name(), custom);
    }
    return new QualityFilterOptions(List.copyOf(rules.values()));
  }

  /** {@code quality-filter.rules}: a list of {@code {name = ..., keep-if = "..."}}, in order. */
  private static List<QualityRule> customRules(RefineryConfig config) {
    List<QualityRule> rules = new ArrayList<>();
    List<? extends Config> entries;
    try {
      entries = config.section("quality-filter").getConfigList("rules");
    } catch (ConfigException e) {
      throw RefineryException.userError(
          "Invalid quality-filter.rules: expected a list of {name = ..., keep-if = \"<SQL predicate>\"}: %s",
          e.getMessage());
    }
    for (int i = 0; i < entries.size(); i++) {
      Config entry = entries.get(i);
      if (!entry.hasPath("name") || !entry.hasPath("keep-if")) {
        throw RefineryException.userError("Invalid quality-filter.rules[%d]: needs both name and keep-if", i);
      }
      String name = entry.getString("name");
      if (!name.matches("[a-z][a-z0-9_]*")) {
        throw RefineryException.userError("Invalid quality-filter.rules[%d].name '%s': use lower case, digits and _"
            + " (it becomes a drop reason)", i, name);
      }
      rules.add(new QualityRule(name.toLowerCase(Locale.ROOT), entry.getString("keep-if")));
    }
    return rules;
  }
}
