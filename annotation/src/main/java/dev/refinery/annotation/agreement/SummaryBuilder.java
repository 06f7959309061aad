package dev.refinery.annotation.agreement;

import dev.refinery.annotation.metrics.BootstrapSums;
import dev.refinery.annotation.metrics.CohenKappa.Weighting;
import dev.refinery.annotation.metrics.DawidSkene;
import dev.refinery.annotation.metrics.KrippendorffAlpha.Level;
import dev.refinery.annotation.metrics.Percentiles;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/** Turns the merged {@link AgreementState} and the Dawid-Skene fit into the {@code agreement_summary} row. */
final class SummaryBuilder {
  private static final List<String> LABELS = List.of("A", "tie", "B");

  private final FeatureLayout layout;
  private final AgreementState state;
  private final DawidSkene.Fit fit;
  private final List<String> raters;
  private final List<String> groups;
  private final AgreementOptions options;

  SummaryBuilder(FeatureLayout layout, AgreementState state, DawidSkene.Fit fit, List<String> raters,
      List<String> groups, AgreementOptions options) {
    this.layout = layout;
    this.state = state;
    this.fit = fit;
    this.raters = raters;
    this.groups = groups;
    this.options = options;
  }

  /** Point estimates for {@code pipeline_runs} metrics. */
  static Map<String, Object> headline(FeatureLayout layout, AgreementState state) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    BootstrapSums.View full = state.sums.view(-1);
    metrics.put("fleiss_kappa", layout.fleiss(full));
    for (Level level : Level.values()) {
      metrics.put("alpha_" + level.name().toLowerCase(Locale.ROOT), layout.alpha(full, level));
    }
    return metrics;
  }

  Row build(String runId, Timestamp at) {
    List<Row> metrics = new ArrayList<>();
    metrics.add(metric("fleiss_kappa", layout::fleiss));
    for (Level level : Level.values()) {
      metrics.add(metric("alpha_" + level.name().toLowerCase(Locale.ROOT), v -> layout.alpha(v, level)));
    }
    List<Row> cohen = new ArrayList<>();
    BootstrapSums.View full = state.sums.view(-1);
    for (int a = 0; a < raters.size(); a++) {
      for (int b = a + 1; b < raters.size(); b++) {
        int pair = layout.pair(a, b);
        double[][] table = layout.confusion(full, pair);
        long n = 0;
        for (double[] row : table) {
          for (double cell : row) {
            n += (long) cell;
          }
        }
        if (n == 0) {
          continue;
        }
        Percentiles.Interval interval = pair < layout.bootstrapPairs
            ? interval(v -> layout.cohen(v, pair, Weighting.NONE))
            : new Percentiles.Interval(Double.NaN, Double.NaN);
        cohen.add(RowFactory.create(raters.get(a), raters.get(b), n, nan(layout.cohen(full, pair, Weighting.NONE)),
            nan(layout.cohen(full, pair, Weighting.LINEAR)), nan(layout.cohen(full, pair, Weighting.QUADRATIC)),
            nan(interval.lower()), nan(interval.upper())));
      }
    }
    List<Row> quality = new ArrayList<>();
    for (int r = 0; r < raters.size(); r++) {
      Double accuracy = null;
      Object confusion = null;
      if (fit != null) {
        accuracy = fit.params().accuracy(r);
        List<Object> rows = new ArrayList<>();
        for (double[] row : fit.params().confusion()[r]) {
          List<Double> cells = new ArrayList<>();
          for (double cell : row) {
            cells.add(cell);
          }
          rows.add(seq(cells));
        }
        confusion = seq(rows);
      }
      quality.add(RowFactory.create(raters.get(r), state.judgmentsPerRater[r], accuracy, confusion));
    }
    List<Row> position = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      long[] counts = state.position[g];
      position.add(RowFactory.create(groups.get(g), counts[0], ratio(counts[1], counts[0]), counts[2],
          ratio(counts[3], counts[2])));
    }
    List<Row> length = new ArrayList<>();
    for (int r = 0; r <= raters.size(); r++) {
      if (state.length[r].count() > 0) {
        length.add(RowFactory.create(r == raters.size() ? "*" : raters.get(r), state.length[r].count(),
            nan(state.length[r].pearson())));
      }
    }
    return RowFactory.create(runId, state.units, state.judgments, seq(raters), seq(LABELS), options.resamples(),
        options.confidenceLevel(), seq(metrics), seq(cohen), seq(quality),
        fit == null ? 0 : fit.iterations(), fit != null && fit.converged(), seq(position), seq(length), at);
  }

  private Row metric(String name, ToDoubleFunction<BootstrapSums.View> metric) {
    Percentiles.Interval interval = interval(metric);
    return RowFactory.create(name, nan(metric.applyAsDouble(state.sums.view(-1))), nan(interval.lower()),
        nan(interval.upper()));
  }

  private Percentiles.Interval interval(ToDoubleFunction<BootstrapSums.View> metric) {
    int replicates = state.sums.replicates();
    double[] values = new double[replicates];
    for (int b = 0; b < replicates; b++) {
      values[b] = metric.applyAsDouble(state.sums.view(b));
    }
    return Percentiles.interval(values, options.confidenceLevel());
  }

  private static Double ratio(long numerator, long denominator) {
    return denominator == 0 ? null : (double) numerator / denominator;
  }

  /** Undefined metrics are stored as null, not NaN, so SQL aggregates over runs stay meaningful. */
  private static Double nan(double value) {
    return Double.isNaN(value) ? null : value;
  }

  private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return CollectionConverters.asScala(list).toList();
  }
}
