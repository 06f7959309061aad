package dev.refinery.filtering.perplexity;

import dev.refinery.core.error.RefineryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the ARPA back-off model format (as written by KenLM's {@code lmplz}, SRILM and {@link ArpaWriter}):
 * a {@code \data\} header with {@code ngram N=count} lines, then one {@code \N-grams:} section per order
 * whose lines are {@code log10prob <tab> w1 ... wN [<tab> log10backoff]} (any run of spaces or tabs
 * separates fields), then {@code \end\}. Missing backoffs are 0.
 */
public final class ArpaReader {
  private ArpaReader() {}

  /** One n-gram line. */
  public record Entry(String[] words, float log10Prob, float log10Backoff) {}

  /** Receives the header, then every entry in file order. */
  public interface Visitor {
    void header(long[] counts);

    void entry(Entry entry);
  }

  /** Reads an ARPA file into a model. */
  public static NgramModel read(BufferedReader reader, String source) throws IOException {
    NgramModel.Builder[] builder = new NgramModel.Builder[1];
    visit(reader, source, new Visitor() {
      @Override
      public void header(long[] counts) {
        builder[0] = new NgramModel.Builder(counts.length, counts);
      }

      @Override
      public void entry(Entry entry) {
        builder[0].add(entry.words(), entry.log10Prob(), entry.log10Backoff());
      }
    });
    return builder[0].build();
  }

  public static void visit(BufferedReader reader, String source, Visitor visitor) throws IOException {
    String line;
    long lineNumber = 0;
    // Skip anything before \data\ (lmplz writes comments there).
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      if (line.trim().equals("\\data\\")) {
        break;
      }
    }
    if (line == null) {
      throw bad(source, lineNumber, "no \\data\\ header");
    }
    List<Long> counts = new ArrayList<>();
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      String trimmed = line.trim();
      if (trimmed.isEmpty()) {
        if (counts.isEmpty()) {
          continue;
        }
        break;
      }
      if (!trimmed.startsWith("ngram ")) {
        break;
      }
      int eq = trimmed.indexOf('=');
      try {
        int n = Integer.parseInt(trimmed.substring(6, eq).trim());
        if (n != counts.size() + 1) {
          throw bad(source, lineNumber, "expected ngram " + (counts.size() + 1) + " but got ngram " + n);
        }
        counts.add(Long.parseLong(trimmed.substring(eq + 1).trim()));
      } catch (RuntimeException e) {
        if (e instanceof RefineryException r) {
          throw r;
        }
        throw bad(source, lineNumber, "cannot parse '" + trimmed + "'");
      }
    }
    if (counts.isEmpty()) {
      throw bad(source, lineNumber, "no ngram counts in the header");
    }
    long[] countArray = counts.stream().mapToLong(Long::longValue).toArray();
    visitor.header(countArray);
    for (int n = 1; n <= countArray.length; n++) {
      // Find the section header.
      while (line != null && line.trim().isEmpty()) {
        line = reader.readLine();
        lineNumber++;
      }
      String expected = "\\" + n + "-grams:";
      if (line == null || !line.trim().equals(expected)) {
        throw bad(source, lineNumber, "expected " + expected + " but got " + (line == null ? "end of file" : "'" + line + "'"));
      }
      long seen = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isEmpty() || line.trim().isEmpty()) {
          break;
        }
        if (line.charAt(0) == '\\') {
          break;
        }
        visitor.entry(parse(line, n, source, lineNumber));
        seen++;
      }
      if (seen != countArray[n - 1]) {
        throw bad(source, lineNumber, "header says " + countArray[n - 1] + " " + n + "-grams but the section has " + seen);
      }
    }
    while (line != null && !line.trim().equals("\\end\\")) {
      if (!line.trim().isEmpty()) {
        throw bad(source, lineNumber, "expected \\end\\ but got '" + line + "'");
      }
      line = reader.readLine();
      lineNumber++;
    }
  }

  private static Entry parse(String line, int n, String source, long lineNumber) {
    String[] fields = line.trim().split("[ \t]+");
    if (fields.length != n + 1 && fields.length != n + 2) {
      throw bad(source, lineNumber, "a " + n + "-gram line needs " + (n + 1) + " or " + (n + 2) + " fields: '" + line + "'");
    }
    try {
      float prob = Float.parseFloat(fields[0]);
      float backoff = fields.length == n + 2 ? Float.parseFloat(fields[n + 1]) : 0f;
      String[] words = new String[n];
      System.arraycopy(fields, 1, words, 0, n);
      return new Entry(words, prob, backoff);
    } catch (NumberFormatException e) {
      throw bad(source, lineNumber, "bad number in '" + line + "'");
    }
  }

  private static RefineryException bad(String source, long line, String reason) {
    return RefineryException.userError("Cannot read ARPA file %s at line %d: %s", source, line, reason);
  }
}
