package dev.refinery.filtering.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PiiDetectorTest {
  private static final PiiDetector DETECTOR = new PiiDetector();

  /** The single value found in "Value: {value} here." and its kind, or an empty list. */
  private static List<String> found(String value) {
    String text = "Value: " + value + " here.";
    return DETECTOR.find(text).stream()
        .map(span -> span.kind() + " " + text.substring(span.start(), span.end()))
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice@example.com", "j.smith+news@mail.example.co.uk", "first_last1@example.org"})
  void findsEmails(String email) {
    assertThat(found(email)).containsExactly("EMAIL " + email);
  }

  @Test
  void emailExcludesTrailingPunctuation() {
    String text = "Write to bob@example.com. Or (ann@example.org), thanks.";
    assertThat(DETECTOR.find(text)).containsExactly(
        new PiiSpan(PiiKind.EMAIL, 9, 24), new PiiSpan(PiiKind.EMAIL, 30, 45));
  }

  @ParameterizedTest
  @ValueSource(strings = {"@handle", "user@localhost", "a..b@example.com", "name at example dot com", "x@y.c",
      "<c40sdm$mov$1@smc.vnet.net>"})
  void rejectsNonEmails(String value) {
    assertThat(found(value)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"(202) 555-0143", "202-555-0143", "202.555.0143", "1-866-943-3427", "+1 202 555 0143",
      "+44 20 7946 0958", "+32 (0)2 720 53 51", "+81 3-1234-5678"})
  void findsPhoneNumbers(String phone) {
    assertThat(found(phone)).containsExactly("PHONE " + phone);
  }

  @Test
  void findsLocalNumbersOnlyAfterACue() {
    assertThat(DETECTOR.find("For more information call 262-6298 today.")).containsExactly(
        new PiiSpan(PiiKind.PHONE, 26, 34));
    assertThat(DETECTOR.find("The score was 262-6298 in the end.")).isEmpty();
    assertThat(DETECTOR.find("Call us on 2021-03-04 or 12/05/2020.")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2021-03-04", "978-3-16-148410-0", "$1,299.99", "1.2.3.4.5", "2025550143", "102-555-0143",
      "202-555.0143", "12:30:45", "+1 555", "CVE-2009-2692", "1944-45", "43-32-7"})
  void rejectsPhoneLookAlikes(String value) {
    assertThat(found(value)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.1", "198.51.100.23", "8.8.8.8", "10.0.0.255", "255.255.255.0"})
  void findsIpv4(String address) {
    assertThat(found(address)).containsExactly("IPV4 " + address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4.5", "256.1.1.1", "1.2.3", "010.1.1.1", "version 1.2.3.4", "v1.2.3.4",
      "build 10.0.0.1", "10.0.19041.1237"})
  void rejectsIpv4LookAlikes(String value) {
    assertThat(found(value)).isEmpty();
  }

  @Test
  void ipv4AtSentenceEndAndWithPort() {
    assertThat(DETECTOR.find("Ping 192.0.2.7.")).containsExactly(new PiiSpan(PiiKind.IPV4, 5, 14));
    assertThat(DETECTOR.find("Host 192.0.2.7:8080 refused")).containsExactly(new PiiSpan(PiiKind.IPV4, 5, 14));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8::8a2e:370:7334", "fe80::1ff:fe23:4567:890a",
      "::ffff:192.0.2.128", "2001:db8:0:0:1:0:0:1", "2001:db8::1"})
  void findsIpv6(String address) {
    assertThat(found(address)).containsExactly("IPV6 " + address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"12:30:45", "12:30", "00:1A:2B:3C:4D:5E", "::1", "1:2:3:4:5:6:7:8:9", "2001:db8::1::2",
      "std::vector", "2001:db8::12345", "1:02:03:04.123"})
  void rejectsIpv6LookAlikes(String value) {
    assertThat(found(value)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5555 5555 5555 4444",
      "3782 822463 10005", "378282246310005", "6011 1111 1111 1117", "2223 0000 4841 0010"})
  void findsCreditCards(String card) {
    assertThat(found(card)).containsExactly("CREDIT_CARD " + card);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4111 1111 1111 1112", "4111-1111 1111-1111", "978-3-16-148410-0", "9783161484100",
      "1234 5678 9012 3452", "41 1111 1111 1111 11", "411111111111"})
  void rejectsCreditCardLookAlikes(String value) {
    assertThat(found(value)).isEmpty();
  }

  @Test
  void cardFollowedByAnotherNumberKeepsTheCard() {
    String text = "Card 4111 1111 1111 1111 20 times.";
    assertThat(DETECTOR.find(text)).containsExactly(new PiiSpan(PiiKind.CREDIT_CARD, 5, 24));
  }

  @ParameterizedTest
  @ValueSource(strings = {"DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "GB82 WEST 1234 5698 7654 32",
      "FR14 2004 1010 0505 0001 3M02 606", "NL91 ABNA 0417 1643 00", "BE68 5390 0754 7034"})
  void findsIbans(String iban) {
    assertThat(found(iban)).containsExactly("IBAN " + iban);
  }

  @ParameterizedTest
  @ValueSource(strings = {"DE88 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 0", "de89370400440532013000",
      "GB82 WEST 1234 5698 7654 33", "XX00 1234"})
  void rejectsBadIbans(String value) {
    assertThat(found(value)).isEmpty();
  }

  @Test
  void ibanFollowedByACurrencyKeepsTheIban() {
    String text = "Pay DE89 3704 0044 0532 0130 00 EUR";
    assertThat(DETECTOR.find(text)).containsExactly(new PiiSpan(PiiKind.IBAN, 4, 31));
  }

  @ParameterizedTest
  @ValueSource(strings = {"123-45-6789", "078-05-1120", "123 45 6789", "899-99-9999"})
  void findsSocialSecurityNumbers(String ssn) {
    assertThat(found(ssn)).containsExactly("US_SSN " + ssn);
  }

  @ParameterizedTest
  @ValueSource(strings = {"666-12-3456", "000-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "123456789",
      "123-45 6789", "1123-45-6789"})
  void rejectsInvalidSocialSecurityNumbers(String value) {
    assertThat(found(value)).isEmpty();
  }

  @Test
  void returnsNonOverlappingSpansInOrder() {
    String text = "SSN 123-45-6789, mail a@example.com, ip 2001:db8::ffff:192.0.2.1, card 4111111111111111.";
    List<PiiSpan> spans = DETECTOR.find(text);
    assertThat(spans).extracting(PiiSpan::kind)
        .containsExactly(PiiKind.US_SSN, PiiKind.EMAIL, PiiKind.IPV6, PiiKind.CREDIT_CARD);
    for (int index = 1; index < spans.size(); index++) {
      assertThat(spans.get(index).start()).isGreaterThanOrEqualTo(spans.get(index - 1).end());
    }
  }

  @Test
  void emptyAndNullTextHaveNoSpans() {
    assertThat(DETECTOR.find("")).isEmpty();
    assertThat(DETECTOR.find(null)).isEmpty();
    assertThat(DETECTOR.find("No personal data at all, version 1.2.3, on 2021-03-04 at 12:30.")).isEmpty();
  }

  @Test
  void oneInstanceServesManyThreads() throws Exception {
    String text = "Mail a@example.com, call (202) 555-0143, card 4111 1111 1111 1111, host 192.0.2.1.";
    List<PiiSpan> expected = DETECTOR.find(text);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<PiiSpan>>> results = new ArrayList<>();
      for (int task = 0; task < 200; task++) {
        results.add(pool.submit(() -> DETECTOR.find(text)));
      }
      for (Future<List<PiiSpan>> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(expected).hasSize(4);
  }

  @Test
  void survivesJavaSerialization() throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(DETECTOR);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      PiiDetector copy = (PiiDetector) in.readObject();
      assertThat(copy.find("Mail a@example.com")).containsExactly(new PiiSpan(PiiKind.EMAIL, 5, 18));
    }
  }
}
