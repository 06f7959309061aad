package dev.refinery.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPathsTest {
  @TempDir Path home;

  @Test
  void relativePathsResolveAgainstTheLaunchersHomeWhateverTheWorkingDirectory() throws Exception {
    Path model = home.resolve("models/only-here/weights.gguf");
    Files.createDirectories(model.getParent());
    Files.writeString(model, "x");
    String before = System.getProperty("refinery.home");
    System.setProperty("refinery.home", home.toString());
    try {
      assertThat(ModelPaths.resolve("models/only-here/weights.gguf")).isEqualTo(model);
      assertThat(ModelPaths.resolve(model.toString())).isEqualTo(model);
    } finally {
      if (before == null) {
        System.clearProperty("refinery.home");
      } else {
        System.setProperty("refinery.home", before);
      }
    }
    // Without the property the file is not found from the working directory: the path stays where it points.
    assertThat(ModelPaths.resolve("models/only-here/weights.gguf"))
        .isEqualTo(Path.of("models/only-here/weights.gguf").toAbsolutePath().normalize());
  }
}
