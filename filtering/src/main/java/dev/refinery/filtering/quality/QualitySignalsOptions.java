package dev.refinery.filtering.quality;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.text.LanguageIdentifier;
import java.io.Serializable;
import java.util.List;

/** Validated options of {@code quality-signals} (keys under {@code quality-signals}). */
record QualitySignalsOptions(List<String> languages, int languageMaxChars, boolean redactPii)
    implements Serializable {

  static QualitySignalsOptions from(RefineryConfig config) {
    List<String> languages = config.check("quality-signals.languages",
        config.getStringList("quality-signals.languages"), LanguageIdentifier::isValidChoice,
        "two or more Lingua language names, e.g. [english, german, french]");
    return new QualitySignalsOptions(languages,
        config.getInt("quality-signals.language-max-chars", 100, 1_000_000),
        config.getBoolean("quality-signals.redact-pii"));
  }
}
