package dev.refinery.filtering.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {
  private static final PiiRedactor REDACTOR = new PiiRedactor();

  @Test
  void replacesEachSpanWithItsPlaceholderAndCounts() {
    Redaction redaction = REDACTOR.redact(
        "Mail a@example.com or b@example.org, call (202) 555-0143, hosts 192.0.2.1 and 2001:db8::1, "
            + "card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 123-45-6789.");
    assertThat(redaction.text()).isEqualTo("Mail <EMAIL> or <EMAIL>, call <PHONE>, hosts <IP_ADDRESS> and "
        + "<IP_ADDRESS>, card <CREDIT_CARD>, IBAN <IBAN>, SSN <US_SSN>.");
    assertThat(redaction.counts()).containsExactlyInAnyOrderEntriesOf(Map.of(PiiKind.EMAIL, 2, PiiKind.PHONE, 1,
        PiiKind.IPV4, 1, PiiKind.IPV6, 1, PiiKind.CREDIT_CARD, 1, PiiKind.IBAN, 1, PiiKind.US_SSN, 1));
    assertThat(redaction.total()).isEqualTo(8);
  }

  @Test
  void leavesTextWithoutPiiUnchanged() {
    String text = "Released 2021-03-04 as version 1.2.3.4, ISBN 978-3-16-148410-0, $1,299.99 at 12:30:45.";
    Redaction redaction = REDACTOR.redact(text);
    assertThat(redaction.text()).isSameAs(text);
    assertThat(redaction.counts()).hasSize(PiiKind.values().length).allSatisfy((kind, count) -> assertThat(count).isZero());
    assertThat(redaction.total()).isZero();
  }

  @Test
  void countsCoverEveryKindAndCannotBeChanged() {
    Redaction redaction = REDACTOR.redact("SSN 123-45-6789");
    assertThat(redaction.count(PiiKind.US_SSN)).isEqualTo(1);
    assertThat(redaction.count(PiiKind.EMAIL)).isZero();
    assertThatThrownBy(() -> redaction.counts().put(PiiKind.EMAIL, 3))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void placeholdersAndColumnNames() {
    assertThat(PiiKind.IPV4.placeholder()).isEqualTo("<IP_ADDRESS>").isEqualTo(PiiKind.IPV6.placeholder());
    assertThat(PiiKind.CREDIT_CARD.placeholder()).isEqualTo("<CREDIT_CARD>");
    assertThat(PiiKind.values()).extracting(PiiKind::columnName).containsExactly("pii_email", "pii_phone",
        "pii_ipv4", "pii_ipv6", "pii_credit_card", "pii_iban", "pii_us_ssn");
  }

  @Test
  void rejectsAMissingDetector() {
    assertThatThrownBy(() -> new PiiRedactor(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create PII redactor: detector is null");
  }
}
