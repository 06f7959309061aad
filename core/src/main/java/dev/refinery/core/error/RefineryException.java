package dev.refinery.core.error;

import java.util.Locale;

/**
 * The one exception type Refinery raises on purpose. Messages read "Cannot &lt;verb&gt; &lt;object&gt;:
 * &lt;reason&gt;" and say how to fix the problem where that is known.
 */
public class RefineryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorType type;

  public RefineryException(ErrorType type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  public RefineryException(ErrorType type, String message) {
    this(type, message, null);
  }

  public ErrorType type() {
    return type;
  }

  public static RefineryException userError(String format, Object... args) {
    return new RefineryException(ErrorType.USER_ERROR, String.format(Locale.ROOT, format, args));
  }

  public static RefineryException internal(String format, Object... args) {
    return new RefineryException(ErrorType.INTERNAL_ERROR, String.format(Locale.ROOT, format, args));
  }

  /** Wraps a failure of an external system (LLM, storage, model runtime) with what we were doing. */
  public static RefineryException external(Throwable cause, String format, Object... args) {
    return new RefineryException(ErrorType.EXTERNAL, String.format(Locale.ROOT, format, args), cause);
  }
}
