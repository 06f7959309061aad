package dev.refinery.filtering.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code local@domain.tld} with the common (not the full RFC 5322) alphabet: quoted local parts and IP-literal
 * domains are left out because they are rare in web text and widen false matches. The top-level label is
 * letters only, so a sentence's closing period or comma is never part of the address. A match may not start
 * inside a longer token of address characters this alphabet leaves out ({@code c40sdm$mov$1@smc.vnet.net} is a
 * Usenet message id, and its tail {@code 1@smc.vnet.net} is nobody's address).
 */
final class EmailRecognizer implements Recognizer {
  private static final long serialVersionUID = 1L;

  private static final Pattern EMAIL = Pattern.compile(
      "(?<![A-Za-z0-9._%+$#!&*^{|}~/-])"
          + "[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
          + "@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}"
          + "(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])");

  @Override
  public PiiKind kind() {
    return PiiKind.EMAIL;
  }

  @Override
  public void find(String text, List<PiiSpan> spans) {
    Matcher matcher = EMAIL.matcher(text);
    while (matcher.find()) {
      if (!matcher.group().contains("..")) {
        spans.add(new PiiSpan(PiiKind.EMAIL, matcher.start(), matcher.end()));
      }
    }
  }
}
