package dev.refinery.filtering.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.text.StableIds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads labelled JSONL files on the driver (label sets are small next to the data they label, as in
 * import-labels) into records with their split, and rejects with file and line. Files are listed in sorted
 * order, so {@link #fingerprint} and the record order are stable.
 */
public final class LabelledRecords {
  /** One usable record: {@code label} is 1.0 for the positive label, 0.0 for the negative one. */
  public record Labelled(String text, double label, boolean heldOut) {}

  /** A record that cannot be used: file, 1-based line, why, and the line itself. */
  public record Rejected(String source, String position, String reason, String raw) {}

  /** What the files held. */
  public record Read(List<Labelled> records, List<Rejected> rejected, List<String> fingerprint) {
    public long read() {
      return records.size() + rejected.size();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private LabelledRecords() {}

  public static Read read(QualityClassifierOptions options, Configuration hadoop) {
    List<Labelled> records = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    List<String> fingerprint = new ArrayList<>();
    for (FileStatus file : list(options.paths(), hadoop)) {
      fingerprint.add(file.getPath().getName() + ":" + file.getLen());
      String source = file.getPath().toString();
      try (BufferedReader reader = open(file.getPath(), hadoop)) {
        String line;
        long number = 0;
        while ((line = reader.readLine()) != null) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          String reason = null;
          Labelled record = null;
          try {
            JsonNode node = JSON.readTree(line);
            JsonNode text = node == null ? null : node.get(options.textField());
            JsonNode label = node == null ? null : node.get(options.labelField());
            if (node == null || !node.isObject()) {
              reason = "not a JSON object";
            } else if (text == null || text.isNull()) {
              reason = "missing field '" + options.textField() + "'";
            } else if (!text.isTextual()) {
              reason = "field '" + options.textField() + "' is not a string";
            } else if (label == null || label.isNull()) {
              reason = "missing field '" + options.labelField() + "'";
            } else if (!label.isValueNode()) {
              reason = "field '" + options.labelField() + "' is not a string or number";
            } else if (label.asText().equals(options.positiveLabel())) {
              record = new Labelled(text.asText(), 1.0, heldOut(text.asText(), options));
            } else if (label.asText().equals(options.negativeLabel())) {
              record = new Labelled(text.asText(), 0.0, heldOut(text.asText(), options));
            } else {
              reason = "unknown label '" + label.asText() + "' (expected '" + options.positiveLabel() + "' or '"
                  + options.negativeLabel() + "')";
            }
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            reason = "malformed JSON: " + e.getOriginalMessage();
          }
          if (record != null) {
            records.add(record);
          } else {
            rejected.add(new Rejected(source, "line " + number, reason, line));
          }
        }
      } catch (IOException e) {
        throw RefineryException.external(e, "Cannot read labelled file %s: %s", source, e.getMessage());
      }
    }
    return new Read(records, rejected, fingerprint);
  }

  /**
   * Whether a text is held out: the first 32 bits of SHA-256 over (seed, text), as a fraction of 2^32, below
   * {@code held-out-fraction}. Depends on nothing but the text, so the split survives reordering and
   * repartitioning, and duplicates of a text never straddle train and held-out.
   */
  public static boolean heldOut(String text, QualityClassifierOptions options) {
    String hash = StableIds.of("quality-split", String.valueOf(options.seed()), text);
    long bits = Long.parseLong(hash.substring(0, 8), 16);
    return bits < options.heldOutFraction() * (1L << 32);
  }

  private static List<FileStatus> list(List<String> patterns, Configuration hadoop) {
    List<FileStatus> files = new ArrayList<>();
    for (String pattern : patterns) {
      try {
        Path path = new Path(pattern);
        FileStatus[] matches = path.getFileSystem(hadoop).globStatus(path);
        if (matches == null || matches.length == 0) {
          throw RefineryException.userError(
              "Cannot read labelled file %s: no such file (quality-classifier-train.paths)", pattern);
        }
        List<FileStatus> sorted = new ArrayList<>();
        for (FileStatus status : matches) {
          if (status.isFile()) {
            sorted.add(status);
          }
        }
        sorted.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
        files.addAll(sorted);
      } catch (IOException e) {
        throw RefineryException.external(e, "Cannot list labelled files %s: %s", pattern, e.getMessage());
      }
    }
    return files;
  }

  private static BufferedReader open(Path path, Configuration hadoop) throws IOException {
    FileSystem fs = path.getFileSystem(hadoop);
    InputStream in = fs.open(path);
    if (path.getName().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }
}
