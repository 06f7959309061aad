package dev.refinery.filtering.pii;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds emails, phone numbers, IP addresses, payment card numbers, IBANs and US social security numbers in
 * text. Every kind is a regular expression followed by a validator (checksums, numbering-plan ranges, octet
 * ranges), tuned for precision because it runs on training data where a false match destroys real content.
 *
 * <p>Thread-safe and serializable: the patterns are compiled once and matchers are created per call, so one
 * instance can be shipped to Spark executors and shared by their tasks.
 */
public final class PiiDetector implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Where candidates overlap, the longer one wins (it explains more of the text); at equal length, the kind
   * whose validator is stricter wins: checksummed kinds first, phone numbers last.
   */
  private static final List<PiiKind> PRIORITY = List.of(PiiKind.IBAN, PiiKind.CREDIT_CARD, PiiKind.US_SSN,
      PiiKind.EMAIL, PiiKind.IPV6, PiiKind.IPV4, PiiKind.PHONE);
  private static final Comparator<PiiSpan> PREFERENCE = Comparator.comparingInt(PiiSpan::length).reversed()
      .thenComparingInt(span -> PRIORITY.indexOf(span.kind()))
      .thenComparingInt(PiiSpan::start);

  private final List<Recognizer> recognizers = List.of(new EmailRecognizer(), new PhoneRecognizer(),
      new Ipv4Recognizer(), new Ipv6Recognizer(), new CreditCardRecognizer(), new IbanRecognizer(),
      new SsnRecognizer());

  /** The non-overlapping spans of personal data in {@code text}, ordered by start; empty for null or "". */
  public List<PiiSpan> find(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    List<PiiSpan> candidates = new ArrayList<>();
    for (Recognizer recognizer : recognizers) {
      recognizer.find(text, candidates);
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    candidates.sort(PREFERENCE);
    List<PiiSpan> chosen = new ArrayList<>();
    for (PiiSpan candidate : candidates) {
      if (chosen.stream().noneMatch(candidate::overlaps)) {
        chosen.add(candidate);
      }
    }
    chosen.sort(Comparator.comparingInt(PiiSpan::start));
    return List.copyOf(chosen);
  }
}
