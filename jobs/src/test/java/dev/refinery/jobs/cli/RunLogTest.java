package dev.refinery.jobs.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where run and demo put their logs (the whole command is tested against the packaged jar in CliIT). */
class RunLogTest {
  @TempDir Path dir;

  @Test
  void logsGoUnderTheLakehouseOrToLogsWhenItIsNotLocal() {
    assertThat(RunLog.folder("/data/lake")).isEqualTo(new RunLog.Folder(Path.of("/data/lake/_logs"), ""));
    assertThat(RunLog.folder("./lakehouse").path()).isEqualTo(Path.of("./lakehouse/_logs"));
    assertThat(RunLog.folder("file:///data/lake").path()).isEqualTo(Path.of("/data/lake/_logs"));
    assertThat(RunLog.folder("s3a://bucket/lake")).isEqualTo(new RunLog.Folder(Path.of("logs"),
        " (the lakehouse s3a://bucket/lake is not a local folder)"));
  }

  @Test
  void logLinesAndWhatLibrariesPrintGoToTheFileUntilClosed() throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    Path file;
    try (RunLog log = RunLog.toFile(dir.resolve("lake").toString(), "manual__2026-01-01T00:00:00+00:00")) {
      file = log.file();
      assertThat(log.describe()).isEqualTo("Log: " + file + " (--verbose shows it on the console)");
      // (Not a Spark logger: the root level depends on what ran before in this JVM, SharedSpark sets ERROR.)
      LogManager.getLogger("dev.refinery.Somewhere").warn("a warning");
      LogManager.getLogger("dev.refinery.Progress").info("a Refinery info line");
      System.out.println("Extracted 'libjllama.so'");
      System.err.print("a partial line");
      // What native code does: write to file descriptor 2 itself.
      new FileOutputStream(FileDescriptor.err).write("llama_model_loader: loaded meta data\n".getBytes(UTF_8));
      assertThat(System.out).isNotSameAs(out);
    }
    assertThat(System.out).isSameAs(out);
    assertThat(System.err).isSameAs(err);
    assertThat(file).isEqualTo(dir.resolve("lake/_logs/refinery-manual__2026-01-01T00_00_00_00_00.log"));
    assertThat(Files.readString(file, UTF_8))
        .contains(" WARN  dev.refinery.Somewhere: a warning\n")
        .contains(" INFO  dev.refinery.Progress: a Refinery info line\n")
        .contains(" INFO  console.stdout: Extracted 'libjllama.so'\n")
        .contains(" WARN  console.stderr: a partial line\n")
        .contains("\nllama_model_loader: loaded meta data\n");
    LogManager.getLogger("dev.refinery.Progress").info("after close");
    assertThat(Files.readString(file, UTF_8)).doesNotContain("after close");
  }
}
