package dev.refinery.filtering.pii;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dotted-quad IPv4 addresses: four octets 0-255 without leading zeros (so {@code 010.1.1.1}, usually a
 * catalogue number, is not an address), never part of a longer dotted number such as {@code 1.2.3.4.5}.
 *
 * <p>A quad right after a version word ({@code version 1.2.3.4}, {@code v1.2.3.4}, {@code build 10.0.0.1}) is
 * not matched. Such a value is syntactically an address, but in text it is almost always a release number, and
 * this detector prefers precision: a real address written that way stays unredacted.
 */
final class Ipv4Recognizer implements Recognizer {
  private static final long serialVersionUID = 1L;

  private static final Pattern QUAD =
      Pattern.compile("(?<![\\w.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\w]|\\.\\d)");
  // The word before the quad, ignoring one space: "version 1.2.3.4", "v1.2.3.4", "Ver. 1.2.3.4".
  private static final Pattern VERSION_BEFORE = Pattern.compile(
      "(?:\\b(?:version|ver\\.?|release|build|firmware|rev\\.?|v)\\s?)$", Pattern.CASE_INSENSITIVE);
  private static final int CONTEXT = 12;

  @Override
  public PiiKind kind() {
    return PiiKind.IPV4;
  }

  @Override
  public void find(String text, List<PiiSpan> spans) {
    Matcher matcher = QUAD.matcher(text);
    while (matcher.find()) {
      if (validOctets(matcher) && !afterVersionWord(text, matcher.start())) {
        spans.add(new PiiSpan(PiiKind.IPV4, matcher.start(), matcher.end()));
      }
    }
  }

  private static boolean validOctets(Matcher matcher) {
    for (int group = 1; group <= 4; group++) {
      if (!isOctet(matcher.group(group))) {
        return false;
      }
    }
    return true;
  }

  static boolean isOctet(String digits) {
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      return false;
    }
    return Integer.parseInt(digits) <= 255;
  }

  private static boolean afterVersionWord(String text, int start) {
    String before = text.substring(Math.max(0, start - CONTEXT), start).toLowerCase(Locale.ROOT);
    return VERSION_BEFORE.matcher(before).find();
  }
}
