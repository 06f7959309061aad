package dev.refinery.jobs.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.refinery.core.error.RefineryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Where {@code run} and {@code demo} send everything that is not their progress lines and summary: Refinery's,
 * Spark's and Delta's log lines, and what libraries print on {@code System.out}/{@code System.err} (llama.cpp's
 * loader, DJL), go to {@code <lakehouse>/_logs/refinery-<run-id>.log}, or {@code ./logs/} when the lakehouse is
 * not a local folder (s3a://). Closing puts the console back, so a failure's message reaches the terminal.
 *
 * <p>Native libraries write to file descriptor 2 themselves (llama.cpp's model loader and server, ONNX Runtime's
 * warnings), past any Java logger: on Linux and macOS descriptor 2 is pointed at the log file too while the log is
 * open (elsewhere their output stays on the console).
 */
final class RunLog implements AutoCloseable {
  private static final String APPENDER = "refinery-run-log";
  /** The logger of what is printed on System.out and System.err, at INFO whatever the root level. */
  private static final String PRINTED = "console";
  private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5p %c: %m%n";

  private final Path file;
  private final String note;
  private final PrintStream originalOut;
  private final PrintStream originalErr;
  private final List<ConsoleRoute> consoles;
  private final FileAppender appender;
  private final PrintStream out;
  private final PrintStream err;
  private final NativeStderr nativeStderr;

  /** A console appender taken off a logger, to be put back on close. */
  private record ConsoleRoute(LoggerConfig logger, Appender appender, Level level) {}

  private RunLog(Path file, String note, FileAppender appender, List<ConsoleRoute> consoles,
      NativeStderr nativeStderr) {
    this.file = file;
    this.note = note;
    this.originalOut = System.out;
    this.originalErr = System.err;
    this.appender = appender;
    this.consoles = consoles;
    this.out = lines(LogManager.getLogger(PRINTED + ".stdout"), Level.INFO);
    this.err = lines(LogManager.getLogger(PRINTED + ".stderr"), Level.WARN);
    this.nativeStderr = nativeStderr;
  }

  /**
   * Sends the logs to the run's log file until {@link #close}. {@code System.out} and {@code System.err} are
   * replaced too: write the command's own output to a stream taken before (as {@code RunCommand} does).
   */
  static RunLog toFile(String lakehouseRoot, String runId) {
    Folder folder = folder(lakehouseRoot);
    // Run ids from schedulers may hold ':' or '+' (Airflow's manual__2026-01-01T00:00:00+00:00).
    String name = "refinery-" + runId.replaceAll("[^A-Za-z0-9._-]", "_") + ".log";
    Path file = folder.path().resolve(name).toAbsolutePath();
    try {
      Files.createDirectories(folder.path());
    } catch (IOException e) {
      throw RefineryException.userError("Cannot write the run's log to %s: %s (use --verbose to log to the console)",
          file, e.getMessage());
    }
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration configuration = context.getConfiguration();
    FileAppender appender = FileAppender.newBuilder()
        .setName(APPENDER)
        .withFileName(file.toString())
        .withAppend(true)
        .setLayout(PatternLayout.newBuilder().withConfiguration(configuration).withPattern(PATTERN).build())
        .setConfiguration(configuration)
        .build();
    appender.start();
    configuration.addAppender(appender);
    List<ConsoleRoute> consoles = new ArrayList<>();
    List<LoggerConfig> loggers = new ArrayList<>(configuration.getLoggers().values());
    if (!loggers.contains(configuration.getRootLogger())) {
      loggers.add(configuration.getRootLogger());
    }
    for (LoggerConfig logger : loggers) {
      for (Map.Entry<String, Appender> entry : logger.getAppenders().entrySet()) {
        if (entry.getValue() instanceof ConsoleAppender) {
          Level level = null; // null: the ref passes every level its logger lets through
          for (AppenderRef ref : logger.getAppenderRefs()) {
            level = ref.getRef().equals(entry.getKey()) ? ref.getLevel() : level;
          }
          consoles.add(new ConsoleRoute(logger, entry.getValue(), level));
        }
      }
    }
    consoles.forEach(c -> c.logger().removeAppender(c.appender().getName()));
    configuration.getRootLogger().addAppender(appender, null, null);
    configuration.addLogger(PRINTED, new LoggerConfig(PRINTED, Level.INFO, true));
    context.updateLoggers();

    RunLog log = new RunLog(file, folder.note(), appender, consoles, NativeStderr.redirect(file));
    System.setOut(log.out);
    System.setErr(log.err);
    return log;
  }

  /** The log file, absolute. */
  Path file() {
    return file;
  }

  /** The line that tells where the logs are. */
  String describe() {
    return "Log: " + file + note + " (--verbose shows it on the console)";
  }

  @Override
  public void close() {
    nativeStderr.restore();
    System.setOut(originalOut);
    System.setErr(originalErr);
    out.close();
    err.close();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration configuration = context.getConfiguration();
    configuration.getRootLogger().removeAppender(APPENDER);
    configuration.removeLogger(PRINTED);
    consoles.forEach(c -> c.logger().addAppender(c.appender(), c.level(), null));
    context.updateLoggers();
    appender.stop();
  }

  /** Where the log file goes, and a note when that is not the lakehouse. */
  record Folder(Path path, String note) {}

  /** {@code <root>/_logs} for a local lakehouse, else {@code ./logs} with a note saying why. */
  static Folder folder(String lakehouseRoot) {
    Optional<String> scheme = scheme(lakehouseRoot);
    if (scheme.isEmpty()) {
      return new Folder(Path.of(lakehouseRoot, "_logs"), "");
    }
    if (scheme.get().equals("file")) {
      return new Folder(Path.of(URI.create(lakehouseRoot)).resolve("_logs"), "");
    }
    return new Folder(Path.of("logs"), " (the lakehouse " + lakehouseRoot + " is not a local folder)");
  }

  private static Optional<String> scheme(String root) {
    // A URI scheme is two or more characters ("C:\lake" is a Windows path, not a URI).
    int colon = root.indexOf(':');
    if (colon < 2 || !root.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      return Optional.empty();
    }
    return Optional.of(root.substring(0, colon).toLowerCase(java.util.Locale.ROOT));
  }

  private static PrintStream lines(Logger logger, Level level) {
    return new PrintStream(new LineLogger(logger, level), true, StandardCharsets.UTF_8);
  }

  /** An output stream that logs each line written to it. */
  private static final class LineLogger extends OutputStream {
    private final Logger logger;
    private final Level level;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineLogger(Logger logger, Level level) {
      this.logger = logger;
      this.level = level;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        flushLine();
      } else {
        line.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        write(bytes[i]);
      }
    }

    @Override
    public synchronized void flush() {
      // PrintStream flushes after every println; a partial line waits for its newline.
    }

    @Override
    public synchronized void close() {
      if (line.size() > 0) {
        flushLine();
      }
    }

    private void flushLine() {
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      logger.log(level, text);
    }
  }

  /** File descriptor 2 pointed at the log file (through libc), and how to point it back. */
  private record NativeStderr(C c, int saved, int logFile) {
    private static final NativeStderr NONE = new NativeStderr(null, -1, -1);
    private static final int STDERR = 2;

    /** The libc calls needed. */
    interface C extends Library {
      int open(String path, int flags, int mode);

      int dup(int fd);

      int dup2(int from, int to);

      int close(int fd);
    }

    static NativeStderr redirect(Path file) {
      if (!Platform.isLinux() && !Platform.isMac()) {
        return NONE;
      }
      // O_WRONLY | O_CREAT | O_APPEND: appending, as log4j's appender does, so both writers' lines interleave whole.
      int flags = Platform.isMac() ? 0x0001 | 0x0200 | 0x0008 : 01 | 0100 | 02000;
      try {
        C c = Native.load("c", C.class);
        int logFile = c.open(file.toString(), flags, 0644);
        if (logFile < 0) {
          LogManager.getLogger(RunLog.class).warn("Cannot open {} for native libraries' output: errno {}", file,
              Native.getLastError());
          return NONE;
        }
        int saved = c.dup(STDERR);
        if (saved < 0 || c.dup2(logFile, STDERR) < 0) {
          LogManager.getLogger(RunLog.class).warn("Cannot point file descriptor 2 at {}: errno {}", file,
              Native.getLastError());
          c.close(logFile);
          if (saved >= 0) {
            c.close(saved);
          }
          return NONE;
        }
        return new NativeStderr(c, saved, logFile);
      } catch (LinkageError e) {
        LogManager.getLogger(RunLog.class).warn("Cannot load libc to redirect native output: {}", e.toString());
        return NONE;
      }
    }

    void restore() {
      if (saved < 0) {
        return;
      }
      c.dup2(saved, STDERR);
      c.close(saved);
      c.close(logFile);
    }
  }
}
