package dev.refinery.annotation.agreement;

import dev.refinery.annotation.agreement.AgreementOptions.Aggregation;
import dev.refinery.annotation.labels.PreferenceLabel;
import dev.refinery.annotation.metrics.DawidSkene;
import java.sql.Timestamp;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** The per-pair half of {@code agreement}: label counts, aggregation, the gate and the weight. */
final class PairVerdict {
  private static final PreferenceLabel[] LABELS = PreferenceLabel.values();
  private static final double LOG3 = Math.log(3);

  private PairVerdict() {}

  /** The majority label; when two labels share the top count there is no majority and the pair is a tie. */
  static int majority(long[] counts) {
    int best = 0;
    for (int c = 1; c < counts.length; c++) {
      if (counts[c] > counts[best]) {
        best = c;
      }
    }
    for (int c = 0; c < counts.length; c++) {
      if (c != best && counts[c] == counts[best]) {
        return PreferenceLabel.TIE.ordinal();
      }
    }
    return best;
  }

  /** Shannon entropy of the label shares divided by log(3). */
  static double entropy(long[] counts, long n) {
    double h = 0;
    for (long c : counts) {
      if (c > 0) {
        double p = (double) c / n;
        h -= p * Math.log(p);
      }
    }
    return h / LOG3;
  }

  static Row toRow(Unit unit, DawidSkene.Params params, AgreementOptions options, String runId, Timestamp at) {
    long[] counts = unit.counts();
    long n = unit.size();
    int majority = majority(counts);
    double[] posterior = params == null ? null
        : params.posterior(new DawidSkene.Item(unit.raters(), unit.labels()));
    int dsLabel = -1;
    if (posterior != null) {
      dsLabel = 0;
      for (int c = 1; c < posterior.length; c++) {
        if (posterior[c] > posterior[dsLabel]) {
          dsLabel = c;
        }
      }
    }
    int aggregated = options.aggregation() == Aggregation.DAWID_SKENE && dsLabel >= 0 ? dsLabel : majority;
    double agreement = (double) counts[aggregated] / n;
    double soft = 0;
    int softCount = 0;
    for (double p : unit.probabilityA()) {
      if (!Double.isNaN(p)) {
        soft += p;
        softCount++;
      }
    }
    Double softScore = softCount == 0 ? null : soft / softCount;

    String reason = null;
    if (n < options.minRaters()) {
      reason = "too-few-raters";
    } else if (aggregated == PreferenceLabel.TIE.ordinal() && options.dropTies()) {
      reason = "tie";
    } else if (agreement < options.minAgreement()) {
      reason = "low-agreement";
    } else if (aggregated == PreferenceLabel.B.ordinal() && options.requireChosen()) {
      reason = "prefers-rejected";
    }
    double weight = switch (options.weight()) {
      case AGREEMENT_RATE -> agreement;
      case DS_POSTERIOR -> posterior == null ? agreement : posterior[aggregated];
      case SOFT_MARGIN -> softScore == null ? 0 : Math.abs(2 * softScore - 1);
      case UNIFORM -> 1;
    };
    return RowFactory.create(unit.pairId(), (int) n, (int) counts[0], (int) counts[2], (int) counts[1],
        LABELS[aggregated].text(), agreement, entropy(counts, n), softScore,
        dsLabel < 0 ? null : LABELS[dsLabel].text(),
        posterior == null ? null : posterior[0], posterior == null ? null : posterior[1],
        posterior == null ? null : posterior[2],
        reason == null, reason, weight, runId, at);
  }
}
