package dev.refinery.jobs.cli;

import java.nio.file.Path;

/** The Refinery checkout or install: {@code -Drefinery.home} (set by bin/refinery), else the working directory. */
final class RefineryHome {
  private RefineryHome() {}

  static Path path() {
    String home = System.getProperty("refinery.home", System.getenv("REFINERY_HOME"));
    return home == null || home.isBlank() ? Path.of("").toAbsolutePath() : Path.of(home);
  }
}
