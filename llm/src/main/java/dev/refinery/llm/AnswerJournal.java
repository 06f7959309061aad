package dev.refinery.llm;

import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.LlmSchemas;
import dev.refinery.core.table.Tables;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every LLM answer durable the moment it arrives, before its batch is committed to {@code llm_calls}.
 *
 * <p>Each task attempt appends the answers it receives, one JSON line each ({@link JournalCodec}, the
 * {@code llm_calls} schema), to its own file under {@code <lakehouse>/_llm_journal/<batch>/}. Then:
 * <ul>
 *   <li>a retried task (its executor died) reads the batch's files first and calls only what no attempt answered;
 *   <li>once the batch is committed to {@code llm_calls}, the driver deletes its folder;
 *   <li>a driver that died leaves folders behind: the next {@link #fold} MERGEs their answers into
 *       {@code llm_calls} (new keys, and keys that had failed) and deletes what it folded.
 * </ul>
 *
 * <p>A batch's folder holds a lease ({@link #lease}): the driver that calls it names itself (host, pid) in
 * {@code _driver} and renews the file every {@link #LEASE_RENEWAL}. A fold leaves a batch alone while its driver
 * lives, so that a run beside it (another stage, another DAG run) never takes answers that their own run is
 * about to commit, which would write them twice. A driver on this host is dead when its pid is; one on
 * another host when its lease is older than {@link #LEASE_EXPIRY}.
 *
 * <p>Where the file system can flush a file that stays open (local disks, HDFS: {@code hflush}), each answer is
 * flushed as it is written, so a process killed with -9 loses only the calls in flight. Object stores (S3) have
 * no append: there the answers gathered are written as a new object every {@code llm.cache.journal-interval},
 * so at most that much time's answers can be lost, besides those in flight.
 */
public final class AnswerJournal implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AnswerJournal.class);
  /** The journal's folder under the lakehouse root; no table name starts with '_'. */
  public static final String DIRECTORY = "_llm_journal";

  static final Duration LEASE_RENEWAL = Duration.ofSeconds(30);
  static final Duration LEASE_EXPIRY = Duration.ofMinutes(2);
  private static final String LEASE_FILE = "_driver";

  private final String root;
  private final Broadcast<SerializableConfiguration> hadoop;
  private final long intervalMillis;
  private final JournalCodec codec = new JournalCodec(LlmSchemas.LLM_CALLS);

  private AnswerJournal(String root, Broadcast<SerializableConfiguration> hadoop, long intervalMillis) {
    this.root = root;
    this.hadoop = hadoop;
    this.intervalMillis = intervalMillis;
  }

  /** The journal of {@code lakehouse}; {@code interval} bounds the loss window where files cannot be flushed. */
  public static AnswerJournal of(SparkSession spark, Lakehouse lakehouse, Duration interval) {
    return new AnswerJournal(lakehouse.root() + "/" + DIRECTORY,
        SerializableConfiguration.broadcast(spark.sparkContext()), interval.toMillis());
  }

  /** The folder of one batch of calls. */
  public String batch(String id) {
    return root + "/" + id;
  }

  /**
   * Driver side: MERGEs every answer left in the journal by runs that ended before committing it into
   * {@code llm_calls}, then deletes the files it read. Returns the number of answers folded in.
   */
  public long fold(SparkSession spark, Lakehouse lakehouse) {
    Map<Path, List<Path>> batches = new java.util.LinkedHashMap<>();
    for (Path file : list(new Path(root))) {
      batches.computeIfAbsent(file.getParent(), batch -> new ArrayList<>()).add(file);
    }
    List<Path> live = batches.keySet().stream().filter(this::leaseHeld).toList();
    if (!live.isEmpty()) {
      LOG.info("Leaving {} LLM answer journal batch(es) alone: the runs calling them are alive ({})", live.size(),
          live);
    }
    live.forEach(batches::remove);
    List<Path> files = batches.values().stream().flatMap(List::stream).toList();
    if (files.isEmpty()) {
      return 0;
    }
    Dataset<Row> answers = spark.read().textFile(files.stream().map(Path::toString).toArray(String[]::new))
        .mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<String, Row>) lines -> {
          List<Row> rows = new ArrayList<>();
          lines.forEachRemaining(line -> {
            Row row = answer(line);
            if (row != null) {
              rows.add(row);
            }
          });
          return rows.iterator();
        }, ExpressionEncoder.apply(LlmSchemas.LLM_CALLS))
        .dropDuplicates("request_hash");
    answers = dev.refinery.core.spark.Checkpoints.of(answers);
    long count = answers.count();
    if (count > 0) {
      lakehouse.createIfAbsent(Tables.LLM_CALLS, LlmSchemas.LLM_CALLS);
      // An answer replaces a failed row; one already in the cache stays as it is.
      lakehouse.upsertWhere(Tables.LLM_CALLS, answers, List.of("request_hash"),
          "target.status <> '" + LlmSchemas.STATUS_OK + "'");
    }
    LOG.info("Folded {} journaled LLM answer(s) from {} file(s) under {} into {}", count, files.size(), root,
        lakehouse.name(Tables.LLM_CALLS));
    batches.keySet().forEach(this::delete);
    return count;
  }

  /**
   * Driver side: takes the lease of {@code batch} for this driver, renewed until closed. Closing releases it (a
   * failed run's batch is then folded by the next run at once); delete the batch once its answers are committed.
   */
  public Lease lease(String batch) {
    Path file = new Path(batch, LEASE_FILE);
    String holder = hostName() + "\t" + ProcessHandle.current().pid();
    Runnable write = () -> {
      try (FSDataOutputStream out = fileSystem(file).create(file, true)) {
        out.write(holder.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        LOG.warn("Cannot renew the lease of LLM answer journal batch {}: {}", batch, e.getMessage());
      }
    };
    write.run();
    var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "llm-journal-lease");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleAtFixedRate(write, LEASE_RENEWAL.toMillis(), LEASE_RENEWAL.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
    return () -> {
      timer.shutdownNow();
      delete(file);
    };
  }

  /** A batch's lease, held until closed. */
  public interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /** Whether a live driver holds {@code batch}: on this host, its pid runs; elsewhere, its lease is fresh. */
  boolean leaseHeld(Path batch) {
    Path file = new Path(batch, LEASE_FILE);
    try {
      FileSystem fs = fileSystem(file);
      if (!fs.exists(file)) {
        return false;
      }
      String[] holder;
      try (var in = fs.open(file)) {
        holder = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\t");
      }
      if (holder.length == 2 && holder[0].equals(hostName())) {
        long pid = Long.parseLong(holder[1]);
        return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      }
      long age = System.currentTimeMillis() - fs.getFileStatus(file).getModificationTime();
      return age < LEASE_EXPIRY.toMillis();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot read the lease of LLM answer journal batch {} (folding it): {}", batch, e.getMessage());
      return false;
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown";
    }
  }

  /** Deletes a batch's folder once its answers are committed to {@code llm_calls}. */
  public void deleteBatch(String batch) {
    delete(new Path(batch));
  }

  /** Executor side: the answers ({@code ok}) that earlier attempts journaled in {@code batch}, by request hash. */
  Map<String, Row> answered(String batch) {
    Map<String, Row> answers = new HashMap<>();
    for (Path file : list(new Path(batch))) {
      try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(
          fileSystem(file).open(file), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          Row row = answer(line);
          if (row != null) {
            answers.put(row.getString(row.fieldIndex("request_hash")), row);
          }
        }
      } catch (java.io.FileNotFoundException e) {
        // deleted meanwhile by a fold: nothing to recover from it
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the LLM answer journal " + file, e);
      }
    }
    return answers;
  }

  /** The answer ({@code ok} row) on a journal line; null for a failed call or a line cut off by a kill. */
  private Row answer(String line) {
    Row row = codec.fromLine(line);
    return row != null && LlmSchemas.STATUS_OK.equals(row.getString(row.fieldIndex("status"))) ? row : null;
  }

  /** Executor side: a writer for this task attempt's own file in {@code batch}. */
  Writer open(String batch) {
    TaskContext task = TaskContext.get();
    String name = task == null ? "driver-" + java.util.UUID.randomUUID()
        : String.format("part-%05d-%d-%d", task.partitionId(), task.stageAttemptNumber(), task.taskAttemptId());
    return new Writer(new Path(batch), name);
  }

  private FileSystem fileSystem(Path path) {
    try {
      FileSystem fs = path.getFileSystem(hadoop.value().value());
      // The checksummed local file system buffers until close; the raw one writes through on flush.
      return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach the LLM answer journal at " + path, e);
    }
  }

  private List<Path> list(Path dir) {
    List<Path> files = new ArrayList<>();
    try {
      FileSystem fs = fileSystem(dir);
      if (!fs.exists(dir)) {
        return files;
      }
      RemoteIterator<LocatedFileStatus> listing = fs.listFiles(dir, true);
      while (listing.hasNext()) {
        LocatedFileStatus status = listing.next();
        if (status.isFile() && status.getPath().getName().endsWith(".jsonl")) {
          files.add(status.getPath());
        }
      }
    } catch (java.io.FileNotFoundException e) {
      // removed while listing
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the LLM answer journal " + dir, e);
    }
    return files;
  }

  private void delete(Path path) {
    try {
      fileSystem(path).delete(path, true);
    } catch (IOException e) {
      LOG.warn("Cannot delete {} from the LLM answer journal (the next run folds it again): {}", path,
          e.getMessage());
    }
  }

  /**
   * Appends one task attempt's answers; thread-safe, as a task's calls run on several threads. Where the stream
   * can flush, one file takes every answer, flushed as it is written. Elsewhere (S3) each file is a part that
   * is closed, and so written, once it is {@code interval} old; the next answer opens the next part.
   */
  final class Writer implements AutoCloseable {
    private final Path dir;
    private final String name;
    private final FileSystem fs;
    private FSDataOutputStream part;
    private boolean flushes;
    private long partOpenedAt;
    private int parts;
    private java.util.concurrent.ScheduledExecutorService timer;

    private Writer(Path dir, String name) {
      this.dir = dir;
      this.name = name;
      this.fs = fileSystem(dir);
    }

    synchronized void append(Row answer) {
      byte[] line = (codec.toLine(answer) + "\n").getBytes(StandardCharsets.UTF_8);
      try {
        if (part == null) {
          openPart();
        }
        part.write(line);
        if (flushes) {
          part.hflush();
        } else if (intervalMillis == 0) {
          closePart();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write to the LLM answer journal in " + dir, e);
      }
    }

    private void openPart() throws IOException {
      part = fs.create(new Path(dir, name + "-" + parts++ + ".jsonl"), false);
      partOpenedAt = System.currentTimeMillis();
      flushes = fs instanceof org.apache.hadoop.fs.RawLocalFileSystem || part.hasCapability(StreamCapabilities.HFLUSH);
      if (!flushes && timer == null && intervalMillis > 0) {
        timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread thread = new Thread(r, "llm-journal");
          thread.setDaemon(true);
          return thread;
        });
        long tick = Math.max(100, intervalMillis / 4);
        timer.scheduleAtFixedRate(this::closeDuePart, tick, tick, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }

    private synchronized void closeDuePart() {
      if (part != null && System.currentTimeMillis() - partOpenedAt >= intervalMillis) {
        try {
          closePart();
        } catch (IOException e) {
          LOG.warn("Cannot write a part of the LLM answer journal in {}: {}", dir, e.getMessage());
        }
      }
    }

    private void closePart() throws IOException {
      FSDataOutputStream closing = part;
      part = null;
      closing.close();
    }

    @Override
    public synchronized void close() {
      if (timer != null) {
        timer.shutdownNow();
      }
      if (part != null) {
        try {
          closePart();
        } catch (IOException e) {
          LOG.warn("Cannot close the LLM answer journal file in {}: {}", dir, e.getMessage());
        }
      }
    }
  }
}
