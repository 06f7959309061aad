package dev.refinery.filtering.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telephone numbers in two shapes that rarely mean anything else:
 *
 * <ul>
 *   <li>international: {@code +} country code, then groups split by spaces, dots or dashes, an optional
 *       trunk or area code in parentheses, 8 to 15 digits in all (the E.164 maximum);
 *   <li>North American: {@code (NNN) NNN-NNNN}, {@code NNN-NNN-NNNN} or {@code NNN.NNN.NNNN} with one separator
 *       throughout, optionally after a {@code 1-} trunk prefix, area code and exchange starting with 2-9 as the
 *       numbering plan requires;
 *   <li>national or local numbers in separated groups ({@code 0871 527 8800}, {@code 262-6298}, 7 to 12
 *       digits), only within a few words after a cue such as "call", "phone", "tel" or "contact", and never a
 *       date.
 * </ul>
 *
 * Digit runs without separators and uncued groups without a {@code +} are not matched: in training text they
 * are far more often counts, identifiers, dates, ISBNs, scores or table cells.
 */
final class PhoneRecognizer implements Recognizer {
  private static final long serialVersionUID = 1L;

  private static final Pattern INTERNATIONAL = Pattern.compile(
      "(?<![\\w+])\\+[1-9]\\d{0,2}(?:[ .-]?\\(\\d{1,4}\\))?(?:[ .-]?\\d{1,5}){1,6}(?![\\w]|[.-]\\d)");
  private static final Pattern NORTH_AMERICAN = Pattern.compile(
      "(?<![\\w.+/-])(?:1[- ])?(?:\\([2-9]\\d{2}\\) ?[2-9]\\d{2}[-.]|[2-9]\\d{2}([-.])[2-9]\\d{2}\\1)\\d{4}(?![\\w]|[.,/-]\\d)");
  // Letters may follow directly: web text glues words on ("Tel: 0871 527 8800Whether ...").
  private static final Pattern CUED_LOCAL = Pattern.compile(
      "(?<![\\w.+/-])(?:\\(0?\\d{2,4}\\) ?|\\d{3,5}[ .-])\\d{2,4}(?:[ .-]\\d{2,4}){0,2}(?!\\d|[.,/-]\\d)");
  private static final Pattern CUE = Pattern.compile(
      "\\b(?:call|calling|phone|telephone|tel|dial|dialing|fax|mobile|cell|hotline|contact)\\b",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern DATE = Pattern.compile("\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}[-./]\\d{1,2}[-./]\\d{2,4}");
  private static final int CUE_WINDOW = 32;
  private static final int MIN_LOCAL_DIGITS = 7;
  private static final int MAX_LOCAL_DIGITS = 12;
  private static final int MIN_INTERNATIONAL_DIGITS = 8;
  private static final int MAX_INTERNATIONAL_DIGITS = 15;

  @Override
  public PiiKind kind() {
    return PiiKind.PHONE;
  }

  @Override
  public void find(String text, List<PiiSpan> spans) {
    Matcher international = INTERNATIONAL.matcher(text);
    while (international.find()) {
      int digits = countDigits(international.group());
      if (digits >= MIN_INTERNATIONAL_DIGITS && digits <= MAX_INTERNATIONAL_DIGITS) {
        spans.add(new PiiSpan(PiiKind.PHONE, international.start(), international.end()));
      }
    }
    Matcher northAmerican = NORTH_AMERICAN.matcher(text);
    while (northAmerican.find()) {
      spans.add(new PiiSpan(PiiKind.PHONE, northAmerican.start(), northAmerican.end()));
    }
    Matcher local = CUED_LOCAL.matcher(text);
    while (local.find()) {
      int digits = countDigits(local.group());
      if (digits >= MIN_LOCAL_DIGITS && digits <= MAX_LOCAL_DIGITS && !DATE.matcher(local.group()).matches()
          && cued(text, local.start())) {
        spans.add(new PiiSpan(PiiKind.PHONE, local.start(), local.end()));
      }
    }
  }

  private static boolean cued(String text, int start) {
    return CUE.matcher(text.substring(Math.max(0, start - CUE_WINDOW), start)).find();
  }

  private static int countDigits(String value) {
    int digits = 0;
    for (int index = 0; index < value.length(); index++) {
      if (Character.isDigit(value.charAt(index))) {
        digits++;
      }
    }
    return digits;
  }
}
