package dev.refinery.filtering.decontamination;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The text normalisation both sides of decontamination go through, so that checked rows and eval items
 * compare equal when they differ only in case, punctuation, spacing or Unicode form:
 *
 * <ol>
 *   <li>Unicode NFKC (full-width letters, ligatures and compatibility forms fold to their plain letters);</li>
 *   <li>lower case ({@link Locale#ROOT});</li>
 *   <li>every punctuation character (Unicode category P: ASCII punctuation, curly quotes, dashes, ellipses)
 *       becomes a space, so {@code don't} gives {@code don t} and {@code a-b} gives {@code a b}, whatever the
 *       spacing around it was; symbols (category S: {@code $ + = €}, emoji) are kept;</li>
 *   <li>tokens are the runs of characters between Unicode whitespace (and control characters).</li>
 * </ol>
 *
 * <p>An n-gram is {@code n} consecutive tokens joined by one space; its hash is a 64-bit FNV-1a of the UTF-8
 * bytes, finalised with the SplitMix64 mixer. Hashes only pre-select: a match is always confirmed on the text.
 */
public final class NgramNormaliser {
  private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}+");
  private static final Pattern SEPARATORS = Pattern.compile("[\\p{Z}\\s\\p{Cc}]+");

  private NgramNormaliser() {}

  /** The normalised tokens of {@code text}; none for null or blank text. */
  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    String spaced = PUNCTUATION.matcher(folded).replaceAll(" ");
    for (String token : SEPARATORS.split(spaced)) {
      if (!token.isEmpty()) {
        out.add(token);
      }
    }
    return out;
  }

  /** Every n-gram of {@code tokens} in order (repeats included); none when there are fewer than n tokens. */
  public static List<String> ngrams(List<String> tokens, int n) {
    List<String> out = new ArrayList<>();
    for (int start = 0; start + n <= tokens.size(); start++) {
      out.add(String.join(" ", tokens.subList(start, start + n)));
    }
    return out;
  }

  /** The default 64-bit n-gram hash. */
  public static long hash(String ngram) {
    long h = 0xcbf29ce484222325L;
    for (byte b : ngram.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
