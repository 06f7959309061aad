package dev.refinery.filtering.pii;

import java.io.Serializable;
import java.util.List;

/** Finds the validated candidates of one kind; candidates may overlap those of other kinds. */
interface Recognizer extends Serializable {
  PiiKind kind();

  /** Adds every validated candidate in {@code text} to {@code spans}. */
  void find(String text, List<PiiSpan> spans);
}
