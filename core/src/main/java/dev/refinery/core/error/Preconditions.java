package dev.refinery.core.error;

import java.util.Locale;

/** Argument checks that fail with a {@link RefineryException} of type {@link ErrorType#USER_ERROR}. */
public final class Preconditions {
  private Preconditions() {}

  public static void checkArgument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new RefineryException(ErrorType.USER_ERROR, String.format(Locale.ROOT, format, args));
    }
  }

  public static void checkState(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new RefineryException(ErrorType.INTERNAL_ERROR, String.format(Locale.ROOT, format, args));
    }
  }

  public static <T> T checkNotNull(T value, String name) {
    if (value == null) {
      throw new RefineryException(ErrorType.INTERNAL_ERROR, "Invalid " + name + ": null");
    }
    return value;
  }
}
