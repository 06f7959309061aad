package dev.refinery.filtering.signals;

import static dev.refinery.filtering.signals.DocumentText.ratio;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * C4 signals (Raffel et al. 2020; datatrove's {@code C4QualityFilter} with its defaults).
 *
 * <p>C4 mostly removes lines rather than documents. The line-level signals here are over non-blank
 * stripped lines ({@code splitlines()}); {@code c4_sentence_count} replays the line filter in datatrove's
 * order (a word over 1000 characters, no terminal punctuation once Wikipedia citations are removed, fewer
 * than 3 words, "javascript", a policy phrase) and counts sentences only in the lines that survive it, which
 * is what C4's "at least 5 sentences" rule sees.
 *
 * <p>Lorem ipsum and curly brackets are checked over the whole text, as the C4 paper states them;
 * datatrove checks them only in lines that survived the earlier line filters, so it drops fewer documents.
 * Sentences are counted with a rule (a run of . ! ? followed by optional closing quotes or brackets and
 * then whitespace or the end, at least one per surviving line), not NLTK's Punkt; "Mr. Smith" counts two.
 */
final class C4Signals {
  static final int MAX_WORD_LENGTH = 1000;
  static final int MIN_WORDS_PER_LINE = 3;

  static final List<SignalColumn> COLUMNS = List.of(
      new SignalColumn("c4_lines_no_terminal_punct_fraction", SignalType.DOUBLE,
          "fraction of non-blank lines not ending in . ? ! \" ' (or ending in ...) after removing citations"
              + " like [1]; 0.0 when there are no non-blank lines"),
      new SignalColumn("c4_has_lorem_ipsum", SignalType.BOOLEAN,
          "the text contains 'lorem ipsum' (any case); false for empty text"),
      new SignalColumn("c4_javascript_line_count", SignalType.INT,
          "non-blank lines mentioning 'javascript' (any case); 0 for empty text"),
      new SignalColumn("c4_javascript_lines_fraction", SignalType.DOUBLE,
          "fraction of non-blank lines mentioning 'javascript'; 0.0 when there are no non-blank lines"),
      new SignalColumn("c4_has_curly_bracket", SignalType.BOOLEAN,
          "the text contains '{'; false for empty text"),
      new SignalColumn("c4_policy_line_count", SignalType.INT,
          "non-blank lines containing terms of use, privacy policy, cookie policy, uses cookies, use of"
              + " cookies or use cookies (any case); 0 for empty text"),
      new SignalColumn("c4_mean_words_per_line", SignalType.DOUBLE,
          "whitespace words per non-blank line; 0.0 when there are no non-blank lines"),
      new SignalColumn("c4_lines_under_3_words_fraction", SignalType.DOUBLE,
          "fraction of non-blank lines with fewer than 3 words; 0.0 when there are no non-blank lines"),
      new SignalColumn("c4_sentence_count", SignalType.INT,
          "sentences in the lines C4's line filter keeps; 0 for empty text"),
      new SignalColumn("c4_max_word_length", SignalType.INT,
          "length in code points of the longest whitespace word; 0 for empty text"));

  private static final Pattern CITATION = Pattern.compile("\\[\\d*]|\\[edit]|\\[citation needed]");
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+[\"'”’)\\]]*(?=\\s|$)");
  private static final List<String> POLICY_PHRASES = List.of(
      "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies");

  private C4Signals() {}

  static void compute(DocumentText document, Object[] values, int offset) {
    int lines = 0;
    int noTerminalPunctuation = 0;
    int javascript = 0;
    int policy = 0;
    long words = 0;
    int fewWords = 0;
    int sentences = 0;
    for (String rawLine : DocumentText.splitLines(document.text)) {
      String line = rawLine.strip();
      if (line.isEmpty()) {
        continue;
      }
      lines++;
      String[] lineWords = DocumentText.splitWords(line);
      words += lineWords.length;
      boolean tooLongWord = false;
      for (String word : lineWords) {
        tooLongWord |= DocumentText.length(word) > MAX_WORD_LENGTH;
      }
      String cleaned = CITATION.matcher(line).replaceAll("");
      boolean noTerminal = !endsWithTerminalPunctuation(cleaned);
      boolean few = lineWords.length < MIN_WORDS_PER_LINE;
      String lower = cleaned.toLowerCase(Locale.ROOT);
      boolean mentionsJavascript = lower.contains("javascript");
      boolean mentionsPolicy = POLICY_PHRASES.stream().anyMatch(lower::contains);
      noTerminalPunctuation += noTerminal ? 1 : 0;
      fewWords += few ? 1 : 0;
      javascript += mentionsJavascript ? 1 : 0;
      policy += mentionsPolicy ? 1 : 0;
      if (!tooLongWord && !noTerminal && !few && !mentionsJavascript && !mentionsPolicy) {
        sentences += sentences(cleaned);
      }
    }
    int maxWordLength = 0;
    for (int length : document.wordLengths) {
      maxWordLength = Math.max(maxWordLength, length);
    }
    String lowerText = document.text.toLowerCase(Locale.ROOT);
    values[offset] = ratio(noTerminalPunctuation, lines);
    values[offset + 1] = lowerText.contains("lorem ipsum");
    values[offset + 2] = javascript;
    values[offset + 3] = ratio(javascript, lines);
    values[offset + 4] = document.text.indexOf('{') >= 0;
    values[offset + 5] = policy;
    values[offset + 6] = ratio(words, lines);
    values[offset + 7] = ratio(fewWords, lines);
    values[offset + 8] = sentences;
    values[offset + 9] = maxWordLength;
  }

  private static boolean endsWithTerminalPunctuation(String line) {
    if (line.endsWith("...")) {
      return false;
    }
    return line.endsWith(".") || line.endsWith("?") || line.endsWith("!") || line.endsWith("\"")
        || line.endsWith("'");
  }

  private static int sentences(String line) {
    Matcher matcher = SENTENCE_END.matcher(line);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return Math.max(1, count);
  }
}
