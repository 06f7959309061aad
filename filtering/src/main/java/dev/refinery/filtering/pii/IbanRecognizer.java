package dev.refinery.filtering.pii;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * International bank account numbers: a country code, two check digits and the national account number
 * (BBAN), written solid or in space-separated groups of four, in upper case. The ISO 7064 mod-97 check must
 * give 1 and the length must be the one registered for the country; countries missing from the table are
 * accepted at any length from 15 to 34.
 */
final class IbanRecognizer implements Recognizer {
  private static final long serialVersionUID = 1L;

  private static final Pattern CANDIDATE =
      Pattern.compile(
          "(?<![A-Za-z0-9])([A-Z]{2}\\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?))(?![A-Za-z0-9])");
  private static final int MIN_LENGTH = 15;
  private static final int MAX_LENGTH = 34;
  // The SWIFT IBAN registry lengths for the countries seen most in European and US web text.
  private static final Map<String, Integer> LENGTHS = Map.ofEntries(
      Map.entry("AD", 24), Map.entry("AT", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("CH", 21),
      Map.entry("CY", 28), Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DK", 18), Map.entry("EE", 20),
      Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GR", 27),
      Map.entry("HR", 21), Map.entry("HU", 28), Map.entry("IE", 22), Map.entry("IS", 26), Map.entry("IT", 27),
      Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("MC", 27),
      Map.entry("MT", 31), Map.entry("NL", 18), Map.entry("NO", 15), Map.entry("PL", 28), Map.entry("PT", 25),
      Map.entry("RO", 24), Map.entry("SA", 24), Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24),
      Map.entry("SM", 27), Map.entry("TR", 26), Map.entry("AE", 23), Map.entry("BR", 29), Map.entry("IL", 23));

  @Override
  public PiiKind kind() {
    return PiiKind.IBAN;
  }

  @Override
  public void find(String text, List<PiiSpan> spans) {
    Matcher matcher = CANDIDATE.matcher(text);
    while (matcher.find()) {
      String written = matcher.group(1);
      int length = writtenLength(written);
      if (length > 0) {
        spans.add(new PiiSpan(PiiKind.IBAN, matcher.start(), matcher.start() + length));
      }
    }
  }

  /**
   * How many written characters form the IBAN, or 0. A known country fixes the length, so a following group
   * ("DE89 3704 0044 0532 0130 00 EUR") is cut off when the cut falls between groups.
   */
  private static int writtenLength(String written) {
    String compact = written.replace(" ", "");
    Integer expected = LENGTHS.get(compact.substring(0, 2));
    if (expected == null) {
      return compact.length() >= MIN_LENGTH && compact.length() <= MAX_LENGTH && mod97(compact) == 1
          ? written.length() : 0;
    }
    if (compact.length() < expected) {
      return 0;
    }
    int end = 0;
    int kept = 0;
    while (kept < expected) {
      if (written.charAt(end) != ' ') {
        kept++;
      }
      end++;
    }
    boolean atBoundary = end == written.length() || written.charAt(end) == ' ';
    return atBoundary && mod97(compact.substring(0, expected)) == 1 ? end : 0;
  }

  /** ISO 7064 MOD 97-10 of the IBAN with its first four characters moved to the end and letters as 10-35. */
  static int mod97(String iban) {
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    int remainder = 0;
    for (int index = 0; index < rearranged.length(); index++) {
      int value = Character.digit(rearranged.charAt(index), 36);
      if (value < 0) {
        return -1;
      }
      remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
    }
    return remainder;
  }
}
