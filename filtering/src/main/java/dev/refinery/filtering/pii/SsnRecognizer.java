package dev.refinery.filtering.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * US social security numbers written {@code ddd-dd-dddd} or {@code ddd dd dddd} (one separator throughout).
 * The bare nine-digit form is not matched: it is indistinguishable from any other nine-digit number. Numbers
 * the SSA never issues are rejected: area 000, 666 or 900-999, group 00, serial 0000.
 */
final class SsnRecognizer implements Recognizer {
  private static final long serialVersionUID = 1L;

  private static final Pattern SSN =
      Pattern.compile("(?<![\\w.,/-])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\w]|[.,/-]\\d)");

  @Override
  public PiiKind kind() {
    return PiiKind.US_SSN;
  }

  @Override
  public void find(String text, List<PiiSpan> spans) {
    Matcher matcher = SSN.matcher(text);
    while (matcher.find()) {
      int area = Integer.parseInt(matcher.group(1));
      int group = Integer.parseInt(matcher.group(3));
      int serial = Integer.parseInt(matcher.group(4));
      if (area != 0 && area != 666 && area < 900 && group != 0 && serial != 0) {
        spans.add(new PiiSpan(PiiKind.US_SSN, matcher.start(), matcher.end()));
      }
    }
  }
}
