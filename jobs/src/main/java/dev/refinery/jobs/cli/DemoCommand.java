package dev.refinery.jobs.cli;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "Run the whole pipeline on the bundled samples with the embedded defaults (conf/local.conf).")
public final class DemoCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--verbose", description = RunCommand.VERBOSE)
  boolean verbose;

  @Override
  public Integer call() {
    Path local = RefineryHome.path().resolve("conf/local.conf");
    if (!Files.isRegularFile(local)) {
      throw RefineryException.userError("Cannot run the demo: %s is missing (run from a Refinery checkout)", local);
    }
    RefineryConfig config = options.load(List.of(local));
    long start = System.nanoTime();
    int status = RunCommand.runStages(config, List.of("all"), System.out, verbose);
    System.out.printf(Locale.ROOT, "%nDemo finished in %.1f s. Look at the results with:%n"
        + "  bin/refinery tables%n  bin/refinery sql \"SELECT stage, status, rows_in, rows_out FROM pipeline_runs\"%n",
        (System.nanoTime() - start) / 1e9);
    return status;
  }
}
