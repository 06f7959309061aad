package dev.refinery.jobs;

import dev.refinery.core.error.ErrorType;
import dev.refinery.core.error.RefineryException;
import dev.refinery.jobs.cli.ConfigCommand;
import dev.refinery.jobs.cli.DemoCommand;
import dev.refinery.jobs.cli.HistoryCommand;
import dev.refinery.jobs.cli.RunCommand;
import dev.refinery.jobs.cli.SqlCommand;
import dev.refinery.jobs.cli.StagesCommand;
import dev.refinery.jobs.cli.TablesCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/refinery} and of {@code spark-submit --class dev.refinery.jobs.RefineryMain}.
 * Exit codes: 0 success, 2 user error (config, input, usage), 3 external failure (storage, LLM, model),
 * 1 internal error.
 */
@Command(name = "refinery", mixinStandardHelpOptions = true, version = "refinery 0.1.0",
    description = "Alignment-data pipeline on Apache Spark and Delta Lake.",
    subcommands = {RunCommand.class, DemoCommand.class, TablesCommand.class, SqlCommand.class,
        HistoryCommand.class, StagesCommand.class, ConfigCommand.class, dev.refinery.jobs.cli.ReportCommand.class})
public final class RefineryMain implements Runnable {
  public static void main(String[] args) {
    int code = execute(args);
    if (code != 0 || !Boolean.getBoolean("refinery.no-exit")) {
      System.exit(code);
    }
  }

  /** Runs the CLI and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new RefineryMain());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      System.err.println("error: " + message(e));
      if (Boolean.getBoolean("refinery.debug") || !(e instanceof RefineryException)) {
        e.printStackTrace(System.err);
      }
      return exitCode(e);
    });
    return cli.execute(args);
  }

  static int exitCode(Throwable e) {
    if (e instanceof RefineryException re) {
      return re.type() == ErrorType.USER_ERROR ? 2 : re.type() == ErrorType.EXTERNAL ? 3 : 1;
    }
    return 1;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
