package dev.refinery.ingest;

import dev.refinery.core.error.RefineryException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/** Expands {@code ingest.paths} (files, folders, globs, any Hadoop file system) and opens files decompressed. */
final class SourceFiles {
  private SourceFiles() {}

  /** Every file the paths name, sorted, without hidden files ({@code .x}, {@code _x}). */
  static List<String> expand(List<String> paths, Configuration conf) {
    if (paths.isEmpty()) {
      throw RefineryException.userError(
          "Cannot ingest: ingest.paths is empty. Set it to files, folders or globs, e.g. --set ingest.paths=[\"data/*.jsonl.gz\"]");
    }
    TreeSet<String> files = new TreeSet<>();
    for (String pattern : paths) {
      int before = files.size();
      try {
        Path path = new Path(pattern);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches != null) {
          for (FileStatus match : matches) {
            if (match.isDirectory()) {
              RemoteIterator<LocatedFileStatus> it = fs.listFiles(match.getPath(), true);
              while (it.hasNext()) {
                Path file = it.next().getPath();
                if (!isHidden(file)) {
                  files.add(file.toString());
                }
              }
            } else if (!isHidden(match.getPath())) {
              files.add(match.getPath().toString());
            }
          }
        }
      } catch (IOException e) {
        throw RefineryException.external(e, "Cannot list ingest path %s: %s", pattern, e.getMessage());
      }
      if (files.size() == before) {
        throw RefineryException.userError("Cannot ingest: path '%s' in ingest.paths matches no files", pattern);
      }
    }
    return new ArrayList<>(files);
  }

  static InputStream open(String file, Configuration conf) throws IOException {
    Path path = new Path(file);
    InputStream raw = new BufferedInputStream(path.getFileSystem(conf).open(path), 1 << 16);
    if (file.endsWith(".gz")) {
      return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16); // handles multi-member gzip (WARC)
    }
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    return codec == null ? raw : new BufferedInputStream(codec.createInputStream(raw), 1 << 16);
  }

  private static boolean isHidden(Path path) {
    String name = path.getName();
    return name.startsWith(".") || name.startsWith("_");
  }
}
