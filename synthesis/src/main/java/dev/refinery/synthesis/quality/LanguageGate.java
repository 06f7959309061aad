package dev.refinery.synthesis.quality;

import com.github.pemistahl.lingua.api.Language;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.text.LanguageIdentifier;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Flags an answer written in another language than its prompt, with Lingua ({@link LanguageIdentifier}):
 * only when both texts have at least {@code minChars} letters and Lingua names each one's language with at
 * least {@code minConfidence}, so short or mixed texts never count as a mismatch. No languages: off.
 */
public record LanguageGate(List<String> languages, int minChars, double minConfidence) implements Serializable {
  private static final Pattern LANGUAGE_WORDS = Pattern.compile("\\b(?:translat\\w*|language\\w*|"
      + Arrays.stream(Language.values()).filter(l -> l != Language.UNKNOWN)
          .map(l -> l.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|")) + ")\\b",
      Pattern.CASE_INSENSITIVE);
  /** Characters of each text Lingua reads. */
  private static final int MAX_CHARS = 1000;

  public LanguageGate {
    languages = List.copyOf(languages);
  }

  /** Reads {@code prefix.languages}, {@code prefix.min-chars} and {@code prefix.min-confidence}. */
  public static LanguageGate fromConfig(RefineryConfig config, String prefix) {
    List<String> languages = config.check(prefix + ".languages", config.getStringList(prefix + ".languages"),
        names -> names.isEmpty() || LanguageIdentifier.isValidChoice(names),
        "empty (off) or two or more Lingua language names, e.g. [english, french]");
    return new LanguageGate(languages, config.getInt(prefix + ".min-chars", 1, 100_000),
        config.getDouble(prefix + ".min-confidence", 0, 1));
  }

  public boolean enabled() {
    return !languages.isEmpty();
  }

  /** {@code true} when Lingua is confident that {@code prompt} and {@code answer} are in different languages. */
  public boolean mismatch(String prompt, String answer) {
    if (!enabled() || letters(prompt) < minChars || letters(answer) < minChars) {
      return false;
    }
    LanguageIdentifier identifier = LanguageIdentifier.get(languages, MAX_CHARS);
    LanguageIdentifier.Guess asked = identifier.identify(prompt);
    LanguageIdentifier.Guess answered = identifier.identify(answer);
    return asked.language() != null && answered.language() != null && asked.confidence() >= minConfidence
        && answered.confidence() >= minConfidence && !asked.language().equals(answered.language());
  }

  /**
   * {@code true} when {@code task} names a language or translation ("Translate ... into French"), so its
   * answer may rightly be in another language than the task.
   */
  public static boolean namesALanguage(String task) {
    return LANGUAGE_WORDS.matcher(task).find();
  }

  private static int letters(String text) {
    return text == null ? 0 : (int) text.codePoints().filter(Character::isLetter).count();
  }
}
