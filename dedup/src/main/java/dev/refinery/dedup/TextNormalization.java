package dev.refinery.dedup;

import dev.refinery.core.text.TextNormalizer;

/**
 * What "the same text" means before hashing or shingling ({@code dedup-exact.normalization},
 * {@code dedup-minhash.normalization}). Built from the shared {@link TextNormalizer} steps.
 */
public enum TextNormalization {
  /** The text as stored. */
  NONE,
  /** NFC, lower case, whitespace runs collapsed to one space, trimmed. */
  BASIC,
  /** {@link #BASIC}, then accents stripped, punctuation and symbols removed, digits mapped to 0. */
  AGGRESSIVE;

  public String apply(String text) {
    if (text == null) {
      return "";
    }
    return switch (this) {
      case NONE -> text;
      case BASIC -> TextNormalizer.basic(text);
      case AGGRESSIVE -> TextNormalizer.aggressive(text);
    };
  }
}
