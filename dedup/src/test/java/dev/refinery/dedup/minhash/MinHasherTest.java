package dev.refinery.dedup.minhash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refinery.dedup.TextNormalization;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MinHasherTest {

  /** Two sets of {@code size} elements sharing {@code common}: Jaccard = common / (2 size - common). */
  private static long[][] pair(int size, int common, SplittableRandom random) {
    long[] shared = LongStream.generate(random::nextLong).limit(common).toArray();
    long[] a = LongStream.concat(Arrays.stream(shared), LongStream.generate(random::nextLong).limit(size - common))
        .sorted().toArray();
    long[] b = LongStream.concat(Arrays.stream(shared), LongStream.generate(random::nextLong).limit(size - common))
        .sorted().toArray();
    return new long[][] {a, b};
  }

  @Test
  void estimateErrorShrinksAsOneOverSquareRootOfK() {
    SplittableRandom random = new SplittableRandom(7);
    for (int k : new int[] {32, 128, 512}) {
      MinHasher hasher = new MinHasher(k, 42);
      double sumSquaredError = 0;
      double sumExpectedVariance = 0;
      int trials = 200;
      for (int t = 0; t < trials; t++) {
        int common = 50 + random.nextInt(250);
        long[][] sets = pair(300, common, random);
        double jaccard = Shingler.jaccard(sets[0], sets[1]);
        double estimate = MinHasher.estimate(hasher.signature(sets[0]), hasher.signature(sets[1]));
        sumSquaredError += (estimate - jaccard) * (estimate - jaccard);
        sumExpectedVariance += jaccard * (1 - jaccard) / k;
      }
      double rmse = Math.sqrt(sumSquaredError / trials);
      double expected = Math.sqrt(sumExpectedVariance / trials);
      // Unbiased estimator with binomial variance J(1-J)/K: RMSE within 25% of the theory, at every K.
      assertThat(rmse).as("RMSE at K=%d", k).isCloseTo(expected, within(0.25 * expected));
      assertThat(rmse).isLessThan(1.0 / Math.sqrt(k));
    }
  }

  /**
   * LSH needs the rows of a band to agree independently: P(a whole band agrees) = J^rows. Correlated
   * permutations (a weak family) would show here as a band rate far from J^rows even when single rows are
   * right.
   */
  @Test
  void bandsOfRowsAgreeWithProbabilityJaccardToTheRows() {
    SplittableRandom random = new SplittableRandom(3);
    MinHasher hasher = new MinHasher(120, 42);
    int trials = 3000;
    long bandsAgreeing = 0;
    for (int t = 0; t < trials; t++) {
      long[][] sets = pair(250, 222, random);
      long[] a = hasher.signature(sets[0]);
      long[] b = hasher.signature(sets[1]);
      for (int band = 0; band < 12; band++) {
        boolean all = true;
        for (int row = 0; row < 10; row++) {
          all &= a[band * 10 + row] == b[band * 10 + row];
        }
        bandsAgreeing += all ? 1 : 0;
      }
    }
    double expected = Math.pow(222.0 / 278, 10);
    // 36,000 bands: one standard deviation is 0.0016.
    assertThat((double) bandsAgreeing / (trials * 12)).isCloseTo(expected, within(0.0065));
  }

  @Test
  void identicalSetsGiveIdenticalSignaturesAndDisjointSetsAlmostNone() {
    SplittableRandom random = new SplittableRandom(1);
    MinHasher hasher = new MinHasher(128, 42);
    long[][] same = pair(100, 100, random);
    assertThat(MinHasher.estimate(hasher.signature(same[0]), hasher.signature(same[1]))).isEqualTo(1.0);
    long[][] disjoint = pair(100, 0, random);
    assertThat(MinHasher.estimate(hasher.signature(disjoint[0]), hasher.signature(disjoint[1]))).isLessThan(0.05);
  }

  @Test
  void signaturesAreDeterministicAcrossInstances() {
    long[] set = LongStream.range(0, 50).map(i -> i * 7919).toArray();
    assertThat(new MinHasher(64, 42).signature(set)).isEqualTo(new MinHasher(64, 42).signature(set));
    assertThat(new MinHasher(64, 43).signature(set)).isNotEqualTo(new MinHasher(64, 42).signature(set));
  }

  @Test
  void wordShinglesIgnoreCasePunctuationAndSpacingUnderAggressiveNormalisation() {
    Shingler shingler = new Shingler(TextNormalization.AGGRESSIVE, Shingler.Unit.WORD, 3);
    assertThat(shingler.shingles("The quick, brown fox  jumps!"))
        .isEqualTo(shingler.shingles("the QUICK brown fox jumps"));
    assertThat(shingler.shingles("one two three four")).hasSize(2);
    assertThat(shingler.shingles("one two")).hasSize(1);
    assertThat(shingler.shingles("  ")).isEmpty();
    Shingler chars = new Shingler(TextNormalization.BASIC, Shingler.Unit.CHAR, 4);
    assertThat(chars.shingles("abcdef")).hasSize(3);
  }

  @Test
  void exactJaccardCountsCommonElements() {
    assertThat(Shingler.jaccard(new long[] {1, 2, 3, 4}, new long[] {3, 4, 5, 6})).isEqualTo(2.0 / 6);
    assertThat(Shingler.jaccard(new long[] {}, new long[] {})).isZero();
  }
}
