package dev.refinery.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python test harness (reference implementations: KenLM, krippendorff, rouge-score, TRL ...)
 * from the virtual environment that {@code bin/setup --test} makes. {@code REFINERY_PYTHON} overrides
 * the interpreter. A missing harness fails the test with the fix, instead of skipping it silently.
 */
public final class PythonHarness {
  private PythonHarness() {}

  public static Path python() {
    String override = System.getenv("REFINERY_PYTHON");
    Path python = override != null && !override.isBlank()
        ? Path.of(override)
        : SharedSpark.repoRoot().resolve(".venv/bin/python");
    if (!Files.isExecutable(python)) {
      throw new IllegalStateException(
          "Cannot find the Python test harness at " + python + ": run bin/setup --test (or set REFINERY_PYTHON)");
    }
    return python;
  }

  /** Runs {@code python script args...} from the repo root; returns stdout, fails with stderr on a non-zero exit. */
  public static String run(Path script, List<String> args, long timeoutSeconds) {
    List<String> command = new ArrayList<>();
    command.add(python().toString());
    command.add(script.toString());
    command.addAll(args);
    try {
      Path err = Files.createTempFile("harness-", ".err");
      Process process = new ProcessBuilder(command)
          .directory(SharedSpark.repoRoot().toFile())
          .redirectError(err.toFile())
          .start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("Python harness timed out: " + command);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("Python harness failed (" + process.exitValue() + "): " + command + "\n"
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run Python harness " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
