package dev.refinery.synthesis.selfinstruct;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * ROUGE-L F-measure exactly as the {@code rouge-score} Python package computes it with its default tokenizer
 * and no stemming (what Self-Instruct uses): lower-case, every run of characters outside {@code [a-z0-9]}
 * becomes a space, split on whitespace; F = 2·LCS / (|a| + |b|), 0 when either side has no token.
 */
public final class RougeL {
  private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private RougeL() {}

  public static List<String> tokenize(String text) {
    String cleaned = NON_ALPHANUMERIC.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
    List<String> tokens = new ArrayList<>();
    for (String token : WHITESPACE.split(cleaned)) {
      if (!token.isEmpty()) {
        tokens.add(token);
      }
    }
    return tokens;
  }

  public static double fmeasure(String target, String prediction) {
    return fmeasure(tokenize(target), tokenize(prediction));
  }

  public static double fmeasure(List<String> target, List<String> prediction) {
    if (target.isEmpty() || prediction.isEmpty()) {
      return 0.0;
    }
    int lcs = lcs(target, prediction);
    double precision = (double) lcs / prediction.size();
    double recall = (double) lcs / target.size();
    return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
  }

  /** Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) space. */
  public static int lcs(List<String> a, List<String> b) {
    int[] previous = new int[b.size() + 1];
    int[] current = new int[b.size() + 1];
    for (int i = 1; i <= a.size(); i++) {
      String token = a.get(i - 1);
      for (int j = 1; j <= b.size(); j++) {
        current[j] = token.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.size()];
  }
}
