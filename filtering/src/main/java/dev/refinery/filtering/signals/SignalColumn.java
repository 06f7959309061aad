package dev.refinery.filtering.signals;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One per-document quality signal: a snake_case column name prefixed by its family ({@code gopher_},
 * {@code c4_}, {@code fineweb_}), its type, and what the value means (including for empty text).
 */
public record SignalColumn(String name, SignalType type, String description) {
  private static final Pattern NAME = Pattern.compile("(gopher|c4|fineweb)_[a-z0-9]+(_[a-z0-9]+)*");

  public SignalColumn {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Cannot define signal column " + name + ": name must be snake_case with a gopher_, c4_ or fineweb_ prefix");
    }
  }
}
