package dev.refinery.core.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic ids: the first 128 bits of SHA-256 over the parts joined by NUL, as 32 hex characters.
 * The same parts give the same id on every machine and run, which is what makes MERGE writes idempotent.
 */
public final class StableIds {
  private StableIds() {}

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  public static String of(String... parts) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        digest.update((byte) 0);
      }
      digest.update((parts[i] == null ? "" : parts[i]).getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 16);
  }

  /** {@code doc_id}: stable hash of source and the record's id within it. */
  public static String docId(String source, String sourceId) {
    return of("doc", source, sourceId);
  }
}
