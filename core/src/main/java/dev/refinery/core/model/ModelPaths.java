package dev.refinery.core.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Config paths are relative to the repository root. The root is the system property
 * {@code refinery.repo.root} (tests) or {@code refinery.home} (set by {@code bin/refinery}) when it holds the
 * file, else the working directory or the nearest parent that holds the file (a module directory under Maven).
 */
public final class ModelPaths {
  private ModelPaths() {}

  public static Path resolve(String configured) {
    Path path = Path.of(configured);
    if (path.isAbsolute()) {
      return path;
    }
    for (String property : new String[] {"refinery.repo.root", "refinery.home"}) {
      String root = System.getProperty(property);
      if (root != null && !root.isBlank() && Files.exists(Path.of(root).resolve(path))) {
        return Path.of(root).resolve(path).normalize();
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(path))) {
        return dir.resolve(path).normalize();
      }
    }
    return path.toAbsolutePath().normalize();
  }
}
