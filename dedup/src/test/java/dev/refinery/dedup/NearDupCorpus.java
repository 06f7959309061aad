package dev.refinery.dedup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.testing.SharedSpark;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Real-text near-duplicate sets for tests and benchmarks, all from {@code samples/}.
 *
 * <ul>
 *   <li>{@link #clough()}: the Clough and Stevenson plagiarism corpus (5 Wikipedia sources and 95 answers).
 *   <li>{@link #wikiText}: WikiText-2 paragraphs and controlled edits of them. For a base paragraph and an
 *       edit rate r, each word position is, with probability r, substituted by a random corpus word (r/3),
 *       deleted (r/3), or followed by an inserted random word (r/3); a seeded {@link SplittableRandom} makes
 *       the set identical on every run. Rates span 0.5% to 30% so the pairs' Jaccard straddles 0.8.
 *   <li>{@link #sentenceDocuments}: documents of real length made of randomly drawn WikiText sentences
 *       (unrelated to each other), a fraction of them followed by an edited copy (the planted duplicates).
 * </ul>
 */
public final class NearDupCorpus {
  private NearDupCorpus() {}

  /** A test document. */
  public record Doc(String id, String text) {}

  /** A document and, for planted copies, the id of the document it was derived from. */
  public record PlantedDoc(String id, String text, String copyOf) {}

  static final double[] EDIT_RATES = {0.005, 0.01, 0.02, 0.04, 0.08, 0.15, 0.3};

  public static List<Doc> clough() {
    Path file = SharedSpark.repoRoot().resolve("samples/near-dup/clough-stevenson-plagiarism/corpus.jsonl");
    ObjectMapper json = new ObjectMapper();
    List<Doc> docs = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          JsonNode node = json.readTree(line);
          docs.add(new Doc("clough/" + node.get("file").asText(), node.get("text").asText()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  /** WikiText-2 (raw, test split) paragraphs of at least {@code minWords} words. */
  public static List<String> wikiParagraphs(int minWords) {
    List<String> paragraphs = new ArrayList<>();
    for (String line : lines("samples/reference-corpus/wikitext-2-raw.test.raw.gz")) {
      String trimmed = line.trim();
      if (!trimmed.startsWith("=") && trimmed.split("\\s+").length >= minWords) {
        paragraphs.add(trimmed);
      }
    }
    return paragraphs;
  }

  /** {@code bases} paragraphs, each with one edited copy per rate in {@link #EDIT_RATES}. */
  public static List<Doc> wikiText(int bases, long seed) {
    List<String> paragraphs = wikiParagraphs(60);
    String[] vocabulary = String.join(" ", paragraphs).split("\\s+");
    SplittableRandom random = new SplittableRandom(seed);
    List<Doc> docs = new ArrayList<>();
    for (int b = 0; b < bases && b < paragraphs.size(); b++) {
      String base = paragraphs.get(b * (paragraphs.size() / Math.min(bases, paragraphs.size())));
      docs.add(new Doc("wiki/" + b, base));
      for (double rate : EDIT_RATES) {
        docs.add(new Doc("wiki/" + b + "/edit-" + rate, edit(base, rate, vocabulary, random)));
      }
    }
    return docs;
  }

  /** Applies word-level substitutions, deletions and insertions, each at rate/3 per word. */
  public static String edit(String text, double rate, String[] vocabulary, SplittableRandom random) {
    String[] words = text.split("\\s+");
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (String word : words) {
      double u = random.nextDouble();
      String kept = word;
      boolean insert = false;
      if (u < rate / 3) {
        kept = vocabulary[random.nextInt(vocabulary.length)];
      } else if (u < 2 * rate / 3) {
        kept = null;
      } else if (u < rate) {
        insert = true;
      }
      if (kept != null) {
        out.append(kept).append(' ');
      }
      if (insert) {
        out.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
      }
    }
    return out.toString().trim();
  }

  /**
   * {@code count} documents of {@code sentencesPerDoc} sentences drawn at random from WikiText-2 (test and
   * validation splits); a fraction {@code duplicateFraction} of them are edited copies (edit rate drawn
   * from [0, maxEditRate]) of an earlier original document.
   */
  public static List<PlantedDoc> sentenceDocuments(int count, int sentencesPerDoc, double duplicateFraction,
      double maxEditRate, long seed) {
    List<String> sentences = new ArrayList<>();
    for (String file : List.of("samples/reference-corpus/wikitext-2-raw.test.raw.gz",
        "samples/reference-corpus/wikitext-2.valid.txt.gz")) {
      for (String line : lines(file)) {
        String trimmed = line.trim();
        if (trimmed.startsWith("=")) {
          continue;
        }
        for (String sentence : trimmed.split("(?<=[.!?]) ")) {
          if (sentence.split(" ").length >= 6) {
            sentences.add(sentence);
          }
        }
      }
    }
    String[] vocabulary = String.join(" ", sentences.subList(0, Math.min(5000, sentences.size()))).split(" ");
    SplittableRandom random = new SplittableRandom(seed);
    List<PlantedDoc> docs = new ArrayList<>(count);
    List<Integer> originals = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = String.format("doc-%07d", i);
      if (!originals.isEmpty() && random.nextDouble() < duplicateFraction) {
        PlantedDoc original = docs.get(originals.get(random.nextInt(originals.size())));
        docs.add(new PlantedDoc(id, edit(original.text(), random.nextDouble() * maxEditRate, vocabulary, random),
            original.id()));
      } else {
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < sentencesPerDoc; s++) {
          text.append(sentences.get(random.nextInt(sentences.size()))).append(' ');
        }
        originals.add(docs.size());
        docs.add(new PlantedDoc(id, text.toString().trim(), null));
      }
    }
    return docs;
  }

  static List<String> lines(String relative) {
    Path file = SharedSpark.repoRoot().resolve(relative);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      return reader.lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines of an uncompressed file under the repository root. */
  public static List<String> linesOf(String relative) {
    try {
      return Files.readAllLines(SharedSpark.repoRoot().resolve(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Words of a string, for tests that want to count. */
  static List<String> words(String text) {
    return Arrays.asList(text.trim().split("\\s+"));
  }
}
