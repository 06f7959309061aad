package dev.refinery.filtering.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment card numbers: 13-19 digits, written solid or in the groupings card issuers print (4-4-4-4, 4-4-4-4-3,
 * 4-6-5, 4-6-4, ...) with one kind of separator (a space or a dash). The number must pass the Luhn check and
 * start with a known issuer prefix; together these reject ISBNs (prefix 978/979), most order numbers and 99%
 * of random digit runs that happen to have the right length.
 */
final class CreditCardRecognizer implements Recognizer {
  private static final long serialVersionUID = 1L;

  private static final Pattern CANDIDATE =
      Pattern.compile("(?<![\\w.,/+-])\\d(?:[ -]?\\d){12,18}(?![\\w]|[.,/-]\\d)");
  private static final int MIN_DIGITS = 13;
  private static final int MAX_DIGITS = 19;

  @Override
  public PiiKind kind() {
    return PiiKind.CREDIT_CARD;
  }

  @Override
  public void find(String text, List<PiiSpan> spans) {
    Matcher matcher = CANDIDATE.matcher(text);
    while (matcher.find()) {
      int end = validEnd(matcher.group());
      if (end > 0) {
        spans.add(new PiiSpan(PiiKind.CREDIT_CARD, matcher.start(), matcher.start() + end));
      }
    }
  }

  /**
   * The length of the longest leading run of groups that is a card number, or 0. Trying shorter runs lets
   * "4111 1111 1111 1111 20" (a number followed by part of a date) still yield the card.
   */
  private static int validEnd(String candidate) {
    List<String> groups = groups(candidate);
    if (groups == null) {
      return 0;
    }
    for (int count = groups.size(); count >= 1; count--) {
      List<String> leading = groups.subList(0, count);
      String digits = String.join("", leading);
      if (digits.length() < MIN_DIGITS) {
        return 0;
      }
      if (digits.length() <= MAX_DIGITS && printedGrouping(leading) && hasIssuerPrefix(digits) && luhn(digits)) {
        int length = 0;
        for (String group : leading) {
          length += group.length();
        }
        return length + count - 1;
      }
    }
    return 0;
  }

  /** The digit groups, or null when the separators are mixed ("4111-1111 1111-1111"). */
  private static List<String> groups(String candidate) {
    List<String> groups = new ArrayList<>();
    char separator = 0;
    int groupStart = 0;
    for (int index = 0; index < candidate.length(); index++) {
      char character = candidate.charAt(index);
      if (character == ' ' || character == '-') {
        if (separator != 0 && separator != character) {
          return null;
        }
        separator = character;
        groups.add(candidate.substring(groupStart, index));
        groupStart = index + 1;
      }
    }
    groups.add(candidate.substring(groupStart));
    return groups;
  }

  private static boolean printedGrouping(List<String> groups) {
    if (groups.size() == 1) {
      return true;
    }
    int[] lengths = groups.stream().mapToInt(String::length).toArray();
    if (lengths.length == 3 && lengths[0] == 4 && lengths[1] == 6 && (lengths[2] == 5 || lengths[2] == 4)) {
      return true;
    }
    if (lengths.length < 4 || lengths.length > 5) {
      return false;
    }
    for (int index = 0; index < lengths.length - 1; index++) {
      if (lengths[index] != 4) {
        return false;
      }
    }
    return lengths[lengths.length - 1] >= 1 && lengths[lengths.length - 1] <= 4;
  }

  /** Visa, Mastercard, American Express, Discover, Diners Club, JCB, UnionPay and Maestro ranges. */
  static boolean hasIssuerPrefix(String digits) {
    int two = Integer.parseInt(digits.substring(0, 2));
    int three = Integer.parseInt(digits.substring(0, 3));
    int four = Integer.parseInt(digits.substring(0, 4));
    int six = Integer.parseInt(digits.substring(0, 6));
    return digits.charAt(0) == '4'
        || (two >= 51 && two <= 55)
        || (four >= 2221 && four <= 2720)
        || two == 34 || two == 37
        || four == 6011 || two == 65 || (three >= 644 && three <= 649) || (six >= 622126 && six <= 622925)
        || two == 36 || two == 38 || two == 39 || (three >= 300 && three <= 305)
        || (four >= 3528 && four <= 3589)
        || two == 62
        || two == 50 || (two >= 56 && two <= 58) || two == 63 || two == 67;
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean doubled = false;
    for (int index = digits.length() - 1; index >= 0; index--) {
      int digit = digits.charAt(index) - '0';
      if (doubled) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }
}
