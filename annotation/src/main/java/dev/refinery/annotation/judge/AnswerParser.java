package dev.refinery.annotation.judge;

import dev.refinery.core.llm.ChatResponse.TokenLogprob;
import dev.refinery.core.llm.ChatResponse.TopLogprob;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the judge's choice. Preferred: the log-probabilities of the answer token (RL-CAI's soft labels) -
 * the first generated token that reads "A" or "B" (ignoring spaces and parentheses), and the probability
 * mass its top alternatives put on A and on B: {@code p(A) = P(A) / (P(A) + P(B))}. Fallback, recorded as
 * {@code parsed-text}: the first "(A)"/"(B)" (or a bare A/B) in the text, as a hard 1/0.
 */
final class AnswerParser {
  static final String LOGPROBS = "logprobs";
  static final String PARSED_TEXT = "parsed-text";
  private static final Pattern CHOICE = Pattern.compile("\\(([AB])\\)|\\b([AB])\\b");

  private AnswerParser() {}

  /** p(A) in the order shown, and how it was obtained. */
  record Answer(double probabilityFirst, String source) {}

  static Optional<Answer> parse(String text, List<TokenLogprob> tokens) {
    if (tokens != null) {
      for (TokenLogprob token : tokens) {
        String choice = choice(token.token());
        if (choice == null) {
          continue;
        }
        double a = 0;
        double b = 0;
        List<TopLogprob> top = token.top().isEmpty()
            ? List.of(new TopLogprob(token.token(), token.logprob())) : token.top();
        for (TopLogprob alternative : top) {
          String option = choice(alternative.token());
          if (option != null && !Double.isNaN(alternative.logprob())) {
            if (option.equals("A")) {
              a += Math.exp(alternative.logprob());
            } else {
              b += Math.exp(alternative.logprob());
            }
          }
        }
        if (a + b > 0) {
          return Optional.of(new Answer(a / (a + b), LOGPROBS));
        }
        break;
      }
    }
    if (text != null) {
      Matcher matcher = CHOICE.matcher(text);
      if (matcher.find()) {
        String choice = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
        return Optional.of(new Answer(choice.equals("A") ? 1.0 : 0.0, PARSED_TEXT));
      }
    }
    return Optional.empty();
  }

  /** "A" or "B" when the token is that letter alone, give or take spaces and parentheses. */
  static String choice(String token) {
    if (token == null) {
      return null;
    }
    String stripped = token.replace("(", "").replace(")", "").replace("\u2581", "").replace("\u0120", "").strip();
    return stripped.equals("A") || stripped.equals("B") ? stripped : null;
  }
}
