package dev.refinery.filtering.perplexity;

import dev.refinery.core.error.RefineryException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A back-off n-gram language model in memory (the form an ARPA file describes), scored the way KenLM
 * scores: log10 probabilities, {@code <s>} as the first context, {@code </s>} predicted at the end of each
 * sentence, out-of-vocabulary words scored as {@code <unk>}.
 *
 * <p>Probabilities and backoffs are floats, as in KenLM; sums are doubles. Instances are immutable after
 * building and safe to share between threads (one per executor JVM, see {@link LanguageModels}).
 */
public final class NgramModel {
  public static final String UNK = "<unk>";
  public static final String BOS = "<s>";
  public static final String EOS = "</s>";
  /** What KenLM assigns to {@code <unk>} when an ARPA file does not list it. */
  static final float MISSING_UNK_LOG10 = -100f;

  private final int order;
  private final String[] words;
  private final Map<String, Integer> ids;
  private final NgramTable[] tables;
  private final int unk;
  private final int bos;
  private final int eos;

  NgramModel(int order, String[] words, NgramTable[] tables) {
    this.order = order;
    this.words = words;
    this.tables = tables;
    this.ids = new HashMap<>(words.length * 2);
    for (int i = 0; i < words.length; i++) {
      ids.put(words[i], i);
    }
    this.unk = requireWord(UNK);
    this.bos = requireWord(BOS);
    this.eos = requireWord(EOS);
  }

  private int requireWord(String word) {
    Integer id = ids.get(word);
    if (id == null) {
      throw RefineryException.userError("Cannot build language model: the vocabulary has no %s", word);
    }
    return id;
  }

  public int order() {
    return order;
  }

  /** Vocabulary size, {@code <unk>}, {@code <s>} and {@code </s>} included. */
  public int vocabularySize() {
    return words.length;
  }

  public String word(int id) {
    return words[id];
  }

  /** The id of {@code word}, or that of {@code <unk>}. */
  public int id(String word) {
    Integer id = ids.get(word);
    return id == null ? unk : id;
  }

  public boolean contains(String word) {
    return ids.containsKey(word);
  }

  public int unkId() {
    return unk;
  }

  public int bosId() {
    return bos;
  }

  public int eosId() {
    return eos;
  }

  /** Number of n-grams of {@code n} (1-based). */
  public int count(int n) {
    return tables[n - 1].size();
  }

  NgramTable table(int n) {
    return tables[n - 1];
  }

  /**
   * The log10 score of one sentence: {@code <s>} context, each word, then {@code </s>}. Like KenLM, per-word
   * scores and the sentence total are float sums.
   */
  public SentenceScore score(String[] sentence) {
    int[] history = new int[Math.max(1, order - 1)];
    float[] backoff = new float[Math.max(1, order - 1)];
    float[] next = new float[Math.max(1, order - 1)];
    history[0] = bos;
    int length = 0;
    if (order > 1) {
      int slot = tables[0].find(NgramKeys.unigram(bos));
      if (slot >= 0) {
        backoff[0] = tables[0].backoffs[slot];
        length = 1;
      }
    }
    // A sentence's total is a float sum, as KenLM (and its Python module's score()) computes it; documents
    // sum sentences in double.
    float total = 0;
    int oov = 0;
    for (int i = 0; i <= sentence.length; i++) {
      int word;
      if (i == sentence.length) {
        word = eos;
      } else {
        Integer id = ids.get(sentence[i]);
        if (id == null) {
          oov++;
          word = unk;
        } else {
          word = id;
        }
      }
      // Longest match: "w", then "h0 w", "h1 h0 w", ... until an n-gram is missing.
      long key = NgramKeys.unigram(word);
      NgramTable unigrams = tables[0];
      int slot = unigrams.find(key);
      float prob = slot >= 0 ? unigrams.probs[slot] : MISSING_UNK_LOG10;
      next[0] = slot >= 0 ? unigrams.backoffs[slot] : 0f;
      int matched = 1;
      for (int j = 1; j <= length && j < order; j++) {
        key = NgramKeys.extend(key, history[j - 1]);
        NgramTable table = tables[j];
        slot = table.find(key);
        if (slot < 0) {
          break;
        }
        prob = table.probs[slot];
        if (j < order - 1) {
          next[j] = table.backoffs[slot];
        }
        matched = j + 1;
      }
      // Back off from every longer context that the model has.
      for (int k = matched - 1; k < length; k++) {
        prob += backoff[k];
      }
      total += prob;
      if (order > 1) {
        System.arraycopy(history, 0, history, 1, history.length - 1);
        history[0] = word;
        float[] swap = backoff;
        backoff = next;
        next = swap;
        length = Math.min(matched, order - 1);
      }
    }
    return new SentenceScore(total, sentence.length + 1, oov);
  }

  /** Sum of {@link #score} over sentences: the document score KenLM-based filters compute. */
  public SentenceScore score(List<String[]> sentences) {
    double total = 0;
    int tokens = 0;
    int oov = 0;
    for (String[] sentence : sentences) {
      SentenceScore s = score(sentence);
      total += s.log10Prob();
      tokens += s.tokens();
      oov += s.oov();
    }
    return new SentenceScore(total, tokens, oov);
  }

  /**
   * log10 p(word | context) by the ARPA back-off definition, recursively (the reference the fast
   * {@link #score} is tested against). {@code context} is oldest first; only its last order-1 words count.
   */
  public double logProb(int[] context, int word) {
    int from = Math.max(0, context.length - (order - 1));
    return logProb(context, from, word);
  }

  private double logProb(int[] context, int from, int word) {
    int n = context.length - from;
    if (n == 0) {
      int slot = tables[0].find(NgramKeys.unigram(word));
      return slot >= 0 ? tables[0].probs[slot] : MISSING_UNK_LOG10;
    }
    long key = NgramKeys.unigram(word);
    for (int i = context.length - 1; i >= from; i--) {
      key = NgramKeys.extend(key, context[i]);
    }
    int slot = tables[n].find(key);
    if (slot >= 0) {
      return tables[n].probs[slot];
    }
    int contextSlot = tables[n - 1].find(NgramKeys.of(context, from, context.length));
    double backoff = contextSlot >= 0 ? tables[n - 1].backoffs[contextSlot] : 0;
    return backoff + logProb(context, from + 1, word);
  }

  /** log10 p(ids[to-1] | ids[from, to-1)) by back-off over {@code tables}, ignoring ids[from, to) itself. */
  static double backoffLogProb(NgramTable[] tables, int[] ids, int from, int to) {
    int n = to - from;
    int word = ids[to - 1];
    if (n == 1) {
      int slot = tables[0].find(NgramKeys.unigram(word));
      return slot >= 0 ? tables[0].probs[slot] : MISSING_UNK_LOG10;
    }
    int contextSlot = tables[n - 2].find(NgramKeys.of(ids, from, to - 1));
    double backoff = contextSlot >= 0 ? tables[n - 2].backoffs[contextSlot] : 0;
    int shorter = tables[n - 2].find(NgramKeys.of(ids, from + 1, to));
    return backoff + (shorter >= 0 ? tables[n - 2].probs[shorter] : backoffLogProb(tables, ids, from + 1, to));
  }

  /** The (log10 prob, log10 backoff) of an n-gram of ids, or null when absent. */
  public float[] entry(int[] ngram) {
    NgramTable table = tables[ngram.length - 1];
    int slot = table.find(NgramKeys.of(ngram, 0, ngram.length));
    return slot < 0 ? null : new float[] {table.probs[slot], table.backoffs[slot]};
  }

  String[] words() {
    return words;
  }

  /** Log10 probability, tokens ({@code </s>} included) and out-of-vocabulary words of a text. */
  public record SentenceScore(double log10Prob, int tokens, int oov) {
    /** KenLM's perplexity: 10^(-log10 p / tokens); NaN without tokens. */
    public double perplexity() {
      return tokens == 0 ? Double.NaN : Math.pow(10.0, -log10Prob / tokens);
    }
  }

  /** Builds a model from entries given order by order, unigrams first (as in an ARPA file). */
  static final class Builder {
    private final int order;
    private final NgramTable[] tables;
    private final Map<String, Integer> ids = new HashMap<>();
    private final java.util.ArrayList<String> words = new java.util.ArrayList<>();
    private int blanks;

    Builder(int order, long[] counts) {
      if (order < 1 || counts.length != order) {
        throw RefineryException.userError("Cannot build language model: order %d with %d n-gram counts", order,
            counts.length);
      }
      this.order = order;
      this.tables = new NgramTable[order];
      for (int i = 0; i < order; i++) {
        if (counts[i] > (1L << 29)) {
          throw RefineryException.userError(
              "Cannot build language model: %d %d-grams is more than this in-memory model holds (%d)", counts[i],
              i + 1, 1L << 29);
        }
        tables[i] = new NgramTable((int) counts[i] + (i == 0 ? 1 : 0));
      }
    }

    /** Adds one n-gram given by its words. Unigrams define the vocabulary. */
    void add(String[] gram, float log10Prob, float log10Backoff) {
      int n = gram.length;
      if (n < 1 || n > order) {
        throw RefineryException.userError("Cannot add %d-gram to an order-%d model", n, order);
      }
      int[] gramIds = new int[n];
      for (int i = 0; i < n; i++) {
        Integer id = ids.get(gram[i]);
        if (id == null) {
          if (n > 1) {
            throw RefineryException.userError(
                "Cannot load language model: %d-gram '%s' has word '%s' that is not a unigram", n,
                String.join(" ", gram), gram[i]);
          }
          id = words.size();
          ids.put(gram[i], id);
          words.add(gram[i]);
        }
        gramIds[i] = id;
      }
      if (n > 1) {
        // KenLM's fix for files that are not closed under suffix and prefix (SRILM pruning, hand-made
        // files): a missing context or suffix gets a blank entry whose probability is what back-off gives
        // and whose backoff is 0, which leaves every score unchanged and lets longest-match scoring reach
        // the higher-order n-gram.
        ensure(gramIds, 1, n);
        ensure(gramIds, 0, n - 1);
      }
      put(n, NgramKeys.of(gramIds, 0, n), log10Prob, log10Backoff);
    }

    private void put(int n, long key, float prob, float backoff) {
      if (tables[n - 1].full()) {
        tables[n - 1] = tables[n - 1].grown();
      }
      tables[n - 1].put(key, prob, backoff);
    }

    /** Inserts a blank for ids[from, to) if absent, after its own suffix and prefix. */
    private void ensure(int[] ids, int from, int to) {
      int n = to - from;
      if (n == 1 || tables[n - 1].find(NgramKeys.of(ids, from, to)) >= 0) {
        return;
      }
      ensure(ids, from + 1, to);
      ensure(ids, from, to - 1);
      blanks++;
      put(n, NgramKeys.of(ids, from, to), (float) backoffLogProb(tables, ids, from, to), 0f);
    }

    int blanks() {
      return blanks;
    }

    NgramModel build() {
      if (!ids.containsKey(UNK)) {
        // KenLM's behaviour for ARPA files without <unk>.
        add(new String[] {UNK}, MISSING_UNK_LOG10, 0f);
      }
      for (String special : new String[] {BOS, EOS}) {
        if (!ids.containsKey(special)) {
          throw RefineryException.userError("Cannot load language model: no unigram %s", special);
        }
      }
      return new NgramModel(order, words.toArray(new String[0]), tables);
    }
  }
}
