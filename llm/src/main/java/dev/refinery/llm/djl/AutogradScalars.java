package dev.refinery.llm.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Scalars for operations that autograd differentiates. DJL's {@code NDArray.mul(Number)} (and {@code div},
 * {@code maximum}, {@code add}, ...) wraps the number in a 0-d tensor over a Java direct buffer and closes that tensor
 * before returning, while autograd keeps it for the backward pass ({@code mul}, {@code div} and {@code maximum} save
 * their operand). Once a garbage collection frees the buffer, backward reads freed memory: gradients turn NaN or
 * silently wrong (seen as NaN losses after a few dozen DPO steps, more often with a small heap). A scalar from here
 * belongs to {@code manager} (and to the open {@code NDScope}, if any), so it lives until the caller's scope closes,
 * after backward. The value types are those DJL would have used, so results are bit-for-bit unchanged.
 */
public final class AutogradScalars {
  private AutogradScalars() {}

  /** {@code value} as a 0-d float64 tensor (what DJL makes of a {@code double}). */
  public static NDArray of(NDManager manager, double value) {
    return manager.create(value);
  }

  /** {@code value} as a 0-d int32 tensor (what DJL makes of an {@code int}). */
  public static NDArray of(NDManager manager, int value) {
    return manager.create(value);
  }
}
