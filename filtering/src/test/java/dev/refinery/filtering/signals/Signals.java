package dev.refinery.filtering.signals;

/** Looks signals up by column name, so tests read as the values they check. */
final class Signals {
  private final Object[] values;

  private Signals(Object[] values) {
    this.values = values;
  }

  static Signals of(String text) {
    return new Signals(DocumentSignals.compute(text));
  }

  Object value(String column) {
    for (int i = 0; i < DocumentSignals.COLUMNS.size(); i++) {
      if (DocumentSignals.COLUMNS.get(i).name().equals(column)) {
        return values[i];
      }
    }
    throw new IllegalArgumentException("Cannot find signal column " + column);
  }

  double number(String column) {
    return ((Number) value(column)).doubleValue();
  }

  int count(String column) {
    return (Integer) value(column);
  }

  boolean flag(String column) {
    return (Boolean) value(column);
  }
}
