package dev.refinery.dedup.exact;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.dedup.Representative;
import dev.refinery.dedup.TextNormalization;

/** Options of {@code dedup-exact} ({@code dedup-exact.*} and {@code dedup.representative}). */
public record ExactDedupOptions(TextNormalization normalization, Representative representative) {
  public static ExactDedupOptions from(RefineryConfig config) {
    return new ExactDedupOptions(
        config.getEnum("dedup-exact.normalization", TextNormalization.class),
        Representative.fromConfig(config));
  }
}
