package dev.refinery.filtering.perplexity;

import dev.refinery.core.error.RefineryException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Loads language models by path (any Hadoop file system: local, {@code s3a://}, ...) and keeps them in a
 * JVM-wide cache, so each executor loads a model once however many tasks and rows it scores.
 *
 * <p>A path ending in {@code .bin} is Refinery's binary form ({@link ModelBinary}); anything else is ARPA,
 * gzipped when it ends in {@code .gz}. Models stay cached for the life of the JVM; a stage that switches
 * models leaves the old one to {@link #evict}.
 */
public final class LanguageModels {
  private static final Map<String, NgramModel> CACHE = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private LanguageModels() {}

  /** The model at {@code path}, loaded on first use in this JVM. */
  public static NgramModel get(String path) {
    return CACHE.computeIfAbsent(path, LanguageModels::load);
  }

  /** How many times a model was read from storage in this JVM (tests assert once per model). */
  public static int loads() {
    return LOADS.get();
  }

  public static void evict(String path) {
    CACHE.remove(path);
  }

  /** Reads a model without caching. */
  public static NgramModel load(String path) {
    LOADS.incrementAndGet();
    Path hadoopPath = new Path(path);
    try (InputStream raw = hadoopPath.getFileSystem(new Configuration()).open(hadoopPath)) {
      if (path.endsWith(".bin")) {
        return ModelBinary.read(Channels.newChannel(new BufferedInputStream(raw, 1 << 20)), path);
      }
      InputStream in = path.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 20)) {
        return ArpaReader.read(reader, path);
      }
    } catch (java.io.FileNotFoundException e) {
      throw RefineryException.userError("Cannot load language model %s: no such file. Run lm-train or set "
          + "perplexity.model-path", path);
    } catch (IOException e) {
      throw RefineryException.external(e, "Cannot load language model %s: %s", path, e.getMessage());
    }
  }

  /** The Hadoop file system of a path, for writers. */
  static FileSystem fileSystem(String path) throws IOException {
    return new Path(path).getFileSystem(new Configuration());
  }
}
