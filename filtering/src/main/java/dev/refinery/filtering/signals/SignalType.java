package dev.refinery.filtering.signals;

/** How a signal is stored: {@code INT} boxes as {@link Integer}, {@code DOUBLE} as {@link Double}, {@code BOOLEAN} as {@link Boolean}. */
public enum SignalType {
  INT,
  DOUBLE,
  BOOLEAN
}
