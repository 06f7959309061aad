package dev.refinery.filtering.perplexity;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;

/**
 * Writes the ARPA format as {@code lmplz} does: a comment header, {@code \data\} with the counts, one
 * section per order, backoffs on every line below the highest order. Numbers are the shortest decimal that
 * reads back to the same float, so write -> read is exact.
 */
public final class ArpaWriter implements AutoCloseable {
  private final Writer out;
  private final long[] counts;
  private int section;
  private long written;

  public ArpaWriter(Writer out, long[] counts, String comment) throws IOException {
    this.out = out;
    this.counts = counts.clone();
    if (comment != null && !comment.isEmpty()) {
      for (String line : comment.split("\n")) {
        out.write("# " + line + "\n");
      }
    }
    out.write("\\data\\\n");
    for (int i = 0; i < counts.length; i++) {
      out.write("ngram " + (i + 1) + "=" + counts[i] + "\n");
    }
  }

  /** Adds an n-gram; n-grams must come order by order, lowest first. */
  public void add(String[] words, float log10Prob, float log10Backoff) throws IOException {
    int n = words.length;
    if (n != section) {
      if (n != section + 1 || (section > 0 && written != counts[section - 1])) {
        throw new IllegalStateException("Cannot write " + n + "-gram after " + written + " " + section + "-grams");
      }
      out.write("\n\\" + n + "-grams:\n");
      section = n;
      written = 0;
    }
    StringBuilder line = new StringBuilder(16 + 8 * n);
    line.append(format(log10Prob)).append('\t');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        line.append(' ');
      }
      line.append(words[i]);
    }
    if (n < counts.length) {
      line.append('\t').append(format(log10Backoff));
    }
    line.append('\n');
    out.write(line.toString());
    written++;
  }

  @Override
  public void close() throws IOException {
    if (section != counts.length || written != counts[counts.length - 1]) {
      throw new IllegalStateException("Cannot finish ARPA file: wrote " + written + " " + section + "-grams");
    }
    out.write("\n\\end\\\n");
    out.flush();
  }

  /** Shortest round-tripping decimal, never in exponent notation (some ARPA readers reject it). */
  static String format(float value) {
    if (value == 0f) {
      return "0";
    }
    String shortest = Float.toString(value);
    if (shortest.indexOf('E') < 0) {
      return shortest.endsWith(".0") ? shortest.substring(0, shortest.length() - 2) : shortest;
    }
    return new BigDecimal(shortest).toPlainString();
  }
}
