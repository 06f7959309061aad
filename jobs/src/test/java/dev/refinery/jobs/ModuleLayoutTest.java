package dev.refinery.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layout of DESIGN.md: dependencies point one way, and production jars hold no main() but the entry point. */
class ModuleLayoutTest {
  private static final Path ROOT = SharedSpark.repoRoot();
  private static final Pattern REFINERY_DEPENDENCY =
      Pattern.compile("<artifactId>refinery-([a-z-]+)</artifactId>");

  /** What each module may use; a stage module never uses another stage module. */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "core", Set.of(),
      "llm", Set.of("core"),
      "ingest", Set.of("core"),
      "filtering", Set.of("core"),
      "dedup", Set.of("core"),
      "synthesis", Set.of("core", "llm"),
      "annotation", Set.of("core", "llm"),
      "training-launch", Set.of("core", "llm"));

  @Test
  void stageModulesDependOnlyOnCoreAndLlm() throws IOException {
    for (Map.Entry<String, Set<String>> module : ALLOWED.entrySet()) {
      String pom = Files.readString(ROOT.resolve(module.getKey()).resolve("pom.xml"));
      Set<String> used = new TreeSet<>();
      Matcher matcher = REFINERY_DEPENDENCY.matcher(pom);
      while (matcher.find()) {
        if (!matcher.group(1).equals("parent") && !matcher.group(1).equals(module.getKey())) {
          used.add(matcher.group(1));
        }
      }
      assertThat(used).as("refinery modules that %s depends on", module.getKey())
          .isSubsetOf(module.getValue());
    }
  }

  @Test
  void onlyTheEntryPointHasAMain() throws IOException {
    List<String> withMain = new ArrayList<>();
    for (String module : List.of("core", "llm", "ingest", "filtering", "dedup", "synthesis", "annotation",
        "training-launch", "jobs")) {
      Path classes = ROOT.resolve(module).resolve("target/classes");
      assertThat(classes).as("%s is built", module).isDirectory();
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
          if (declaresMain(Files.readAllBytes(file))) {
            withMain.add(classes.relativize(file).toString());
          }
        }
      }
    }
    assertThat(withMain).containsExactly("dev/refinery/jobs/RefineryMain.class");
  }

  /** A class file that declares main(String[]) holds both names in its constant pool. */
  private static boolean declaresMain(byte[] classFile) {
    String pool = new String(classFile, StandardCharsets.ISO_8859_1);
    return pool.contains("\u0000\u0004main") && pool.contains("([Ljava/lang/String;)V");
  }
}
