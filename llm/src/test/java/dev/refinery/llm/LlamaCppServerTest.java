package dev.refinery.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The harness names the signal that killed a server, so a SIGILL is not read as a client-side parse error. */
class LlamaCppServerTest {
  @Test
  void namesTheSignalThatKilledAProcess() throws Exception {
    Process process = new ProcessBuilder("sh", "-c", "kill -ILL $$").start();
    process.waitFor();

    assertThat(LlamaCppServer.describeExit(process.exitValue()))
        .isEqualTo("was killed by signal SIGILL (exit status 132)");
  }

  @Test
  void reportsAPlainExitStatus() throws Exception {
    Process process = new ProcessBuilder("sh", "-c", "exit 3").start();
    process.waitFor();

    assertThat(LlamaCppServer.describeExit(process.exitValue())).isEqualTo("exited with status 3");
  }
}
