package dev.refinery.filtering.pii;

/** The kinds of personal data {@link PiiDetector} finds, each with its redaction placeholder and count column. */
public enum PiiKind {
  EMAIL("<EMAIL>", "pii_email"),
  PHONE("<PHONE>", "pii_phone"),
  // Both IP versions share one placeholder: a reader of redacted text needs "an address was here", not its family.
  IPV4("<IP_ADDRESS>", "pii_ipv4"),
  IPV6("<IP_ADDRESS>", "pii_ipv6"),
  CREDIT_CARD("<CREDIT_CARD>", "pii_credit_card"),
  IBAN("<IBAN>", "pii_iban"),
  US_SSN("<US_SSN>", "pii_us_ssn");

  private final String placeholder;
  private final String columnName;

  PiiKind(String placeholder, String columnName) {
    this.placeholder = placeholder;
    this.columnName = columnName;
  }

  /** The text that replaces a span of this kind, such as {@code <EMAIL>}. */
  public String placeholder() {
    return placeholder;
  }

  /** The name of the per-document count column, such as {@code pii_email}. */
  public String columnName() {
    return columnName;
  }
}
