package dev.refinery.filtering.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPv6 addresses in full, compressed ({@code ::}) and IPv4-suffixed forms, validated by a small parser rather
 * than {@code InetAddress} (which may resolve names). Times ({@code 12:30:45}) and MAC addresses have fewer
 * than eight groups and no {@code ::}, so they fail. A compressed address needs two written groups: {@code ::1}
 * and {@code a::} are skipped because C++ scopes and Haskell signatures produce them far more often than
 * anyone writes the loopback address.
 */
final class Ipv6Recognizer implements Recognizer {
  private static final long serialVersionUID = 1L;

  private static final Pattern CANDIDATE =
      Pattern.compile("(?<![\\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\\.\\d{1,3}){0,3}(?![\\w:])");
  private static final int GROUPS = 8;

  @Override
  public PiiKind kind() {
    return PiiKind.IPV6;
  }

  @Override
  public void find(String text, List<PiiSpan> spans) {
    Matcher matcher = CANDIDATE.matcher(text);
    while (matcher.find()) {
      String candidate = matcher.group();
      int end = matcher.end();
      // A sentence may end right after an address: "... at 2001:db8::1." keeps the address, drops the period.
      if (candidate.endsWith(".") && !candidate.endsWith("..")) {
        candidate = candidate.substring(0, candidate.length() - 1);
        end--;
      }
      if (isAddress(candidate)) {
        spans.add(new PiiSpan(PiiKind.IPV6, matcher.start(), end));
      }
    }
  }

  static boolean isAddress(String candidate) {
    int compression = candidate.indexOf("::");
    if (compression != candidate.lastIndexOf("::") || candidate.contains(":::")) {
      return false;
    }
    if (compression < 0) {
      return countGroups(candidate, false) == GROUPS;
    }
    String head = candidate.substring(0, compression);
    String tail = candidate.substring(compression + 2);
    int headGroups = head.isEmpty() ? 0 : countGroups(head, true);
    int tailGroups = tail.isEmpty() ? 0 : countGroups(tail, false);
    if (headGroups < 0 || tailGroups < 0) {
      return false;
    }
    int written = headGroups + tailGroups;
    return written >= 2 && written <= GROUPS - 1;
  }

  /** The number of 16-bit groups in a run without {@code ::}, an IPv4 suffix counting two; -1 if malformed. */
  private static int countGroups(String run, boolean beforeCompression) {
    String[] parts = run.split(":", -1);
    int groups = 0;
    for (int index = 0; index < parts.length; index++) {
      String part = parts[index];
      boolean last = index == parts.length - 1;
      if (last && !beforeCompression && part.contains(".")) {
        if (!isIpv4(part)) {
          return -1;
        }
        groups += 2;
      } else if (part.isEmpty() || part.length() > 4 || !isHex(part)) {
        return -1;
      } else {
        groups++;
      }
    }
    return groups;
  }

  private static boolean isHex(String part) {
    for (int index = 0; index < part.length(); index++) {
      if (Character.digit(part.charAt(index), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv4(String part) {
    String[] octets = part.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String octet : octets) {
      if (octet.isEmpty() || octet.length() > 3 || !Ipv4Recognizer.isOctet(octet)) {
        return false;
      }
    }
    return true;
  }
}
