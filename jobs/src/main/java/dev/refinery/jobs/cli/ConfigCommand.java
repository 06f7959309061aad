package dev.refinery.jobs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config", description = "Print the effective configuration (secrets masked) after validation.")
public final class ConfigCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() {
    System.out.println(options.load().renderForDisplay());
    return 0;
  }
}
