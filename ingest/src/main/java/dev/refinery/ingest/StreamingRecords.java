package dev.refinery.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.hadoop.conf.Configuration;

/**
 * The records of a sequence of files as an iterator with bounded memory: a reader thread pushes each
 * file's records into a small queue that the Spark task drains, so a multi-gigabyte WET file never sits
 * in memory whole. A file that cannot be read becomes one rejected record ("unreadable file").
 */
final class StreamingRecords implements Iterator<ParsedRecord> {
  private static final int CAPACITY = 256;
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread producer;
  private Object next;

  StreamingRecords(Iterator<String> files, RecordReader reader, Configuration conf) {
    producer = new Thread(() -> produce(files, reader, conf), "refinery-ingest-reader");
    producer.setDaemon(true);
    producer.start();
  }

  private void produce(Iterator<String> files, RecordReader reader, Configuration conf) {
    try {
      while (files.hasNext()) {
        String file = files.next();
        try (InputStream in = SourceFiles.open(file, conf)) {
          reader.read(file, in, this::put);
        } catch (IOException e) {
          put(ParsedRecord.rejected(file, Long.MAX_VALUE, "file", "unreadable file: " + e, null));
        }
      }
      put(END);
    } catch (RuntimeException | Error e) {
      put(e);
    }
  }

  private void put(Object item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Ingest reader interrupted", e);
    }
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        producer.interrupt();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Ingest task interrupted", e);
      }
      if (next instanceof RuntimeException e) {
        throw e;
      }
      if (next instanceof Error e) {
        throw e;
      }
    }
    return next != END;
  }

  @Override
  public ParsedRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ParsedRecord record = (ParsedRecord) next;
    next = null;
    return record;
  }
}
