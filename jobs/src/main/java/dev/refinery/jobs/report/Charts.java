package dev.refinery.jobs.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Inline SVG charts: the report carries its pictures in the HTML so it opens offline, with no script library.
 * Every chart is an {@code <svg class="chart">} with a {@code viewBox}, so it scales with the page; hovering a
 * mark shows its exact value through the SVG {@code <title>} element.
 */
final class Charts {
  static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
      "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");
  private static final int WIDTH = 760;
  private static final int MAX_INTERVALS = 5;
  /** Steps of count axes: 1, 2, 5, 10, 20, 50, ... */
  private static final long[] NICE_STEPS = {1, 2, 5};

  private Charts() {}

  /** A horizontal bar: {@code value} drawn over a lighter {@code total} (e.g. rows out over rows in). */
  record Bar(String label, double value, double total, String tooltip) {}

  /** A histogram bin over [from, to) with counts per group (stacked in the groups' order). */
  record Bin(double from, double to, Map<String, Long> counts) {}

  /** A vertical line at {@code x} (in the histogram's x units) with a label. */
  record Marker(double x, String label) {}

  /** A named line through (x, y) points. */
  record Series(String name, List<double[]> points) {}

  /** The funnel: one row per stage, rows kept over rows read. */
  static String horizontalBars(List<Bar> bars, String valueName, String totalName) {
    int labelWidth = 150;
    int rowHeight = 26;
    int plotWidth = WIDTH - labelWidth - 170;
    int height = bars.size() * rowHeight + 30;
    double max = bars.stream().mapToDouble(b -> Math.max(b.value(), b.total())).max().orElse(1);
    max = max <= 0 ? 1 : max;
    StringBuilder svg = open(height, "bars");
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      int y = 10 + i * rowHeight;
      double totalWidth = plotWidth * bar.total() / max;
      double valueWidth = plotWidth * bar.value() / max;
      svg.append(text(labelWidth - 8, y + 16, "end", bar.label()));
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"#d5dde8\"><title>%s</title></rect>",
          labelWidth, y + 2, totalWidth, Html.escape(totalName + ": " + Html.number(bar.total()))));
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"><title>%s</title></rect>",
          labelWidth, y + 2, valueWidth, PALETTE.get(0), Html.escape(bar.tooltip())));
      svg.append(text((int) (labelWidth + Math.max(totalWidth, valueWidth) + 6), y + 16, "start",
          Html.number(bar.value()) + " / " + Html.number(bar.total())));
    }
    svg.append(legend(List.of(valueName, totalName), List.of(PALETTE.get(0), "#d5dde8"), labelWidth,
        height - 8));
    return svg.append("</svg>").toString();
  }

  /** A histogram with stacked groups and labelled vertical markers; {@code xFormat} labels the axis. */
  static String histogram(List<Bin> bins, List<String> groups, List<Marker> markers, String xLabel,
      java.util.function.DoubleFunction<String> xFormat) {
    int left = 60;
    int right = 20;
    int top = 24;
    int plotHeight = 220;
    int height = top + plotHeight + 60;
    int plotWidth = WIDTH - left - right;
    double from = bins.stream().mapToDouble(Bin::from).min().orElse(0);
    double to = bins.stream().mapToDouble(Bin::to).max().orElse(1);
    for (Marker m : markers) {
      from = Math.min(from, m.x());
      to = Math.max(to, m.x());
    }
    double span = to - from <= 0 ? 1 : to - from;
    long maxCount = bins.stream().mapToLong(b -> b.counts().values().stream().mapToLong(Long::longValue).sum())
        .max().orElse(1);
    List<Long> ticks = integerTicks(maxCount);
    maxCount = ticks.get(ticks.size() - 1);
    StringBuilder svg = open(height, "histogram");
    svg.append(axes(left, top, plotWidth, plotHeight, ticks));
    for (Bin bin : bins) {
      double x0 = left + plotWidth * (bin.from() - from) / span;
      double w = Math.max(1, plotWidth * (bin.to() - bin.from()) / span - 1);
      double y = top + plotHeight;
      for (int g = 0; g < groups.size(); g++) {
        long count = bin.counts().getOrDefault(groups.get(g), 0L);
        if (count == 0) {
          continue;
        }
        double h = plotHeight * (double) count / maxCount;
        y -= h;
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
            x0, y, w, h, PALETTE.get(g % PALETTE.size()), Html.escape(groups.get(g) + ": " + count + " in ["
                + xFormat.apply(bin.from()) + ", " + xFormat.apply(bin.to()) + ")")));
      }
    }
    for (Marker m : markers) {
      double x = left + plotWidth * (m.x() - from) / span;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c0392b\" stroke-width=\"2\" "
              + "stroke-dasharray=\"5,3\"><title>%s</title></line>",
          x, top - 6, x, top + plotHeight, Html.escape(m.label())));
      svg.append(text((int) x + 4, top + 4, "start", m.label()));
    }
    for (int i = 0; i <= 4; i++) {
      double value = from + span * i / 4;
      svg.append(text((int) (left + plotWidth * i / 4.0), top + plotHeight + 16, "middle", xFormat.apply(value)));
    }
    svg.append(text(left + plotWidth / 2, top + plotHeight + 34, "middle", xLabel));
    svg.append(legend(groups, colours(groups.size()), left, height - 6));
    return svg.append("</svg>").toString();
  }

  /** Vertical bars for categories (cluster sizes, labels, reasons). */
  static String columns(List<String> labels, List<Long> counts, String xLabel) {
    int left = 60;
    int top = 16;
    int plotHeight = 180;
    int height = top + plotHeight + 50;
    int plotWidth = WIDTH - left - 20;
    List<Long> ticks = integerTicks(counts.stream().mapToLong(Long::longValue).max().orElse(1));
    long max = ticks.get(ticks.size() - 1);
    StringBuilder svg = open(height, "columns");
    svg.append(axes(left, top, plotWidth, plotHeight, ticks));
    double slot = plotWidth / (double) Math.max(1, labels.size());
    for (int i = 0; i < labels.size(); i++) {
      double h = plotHeight * (double) counts.get(i) / max;
      double x = left + slot * i + slot * 0.15;
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
          x, top + plotHeight - h, slot * 0.7, h, PALETTE.get(0),
          Html.escape(labels.get(i) + ": " + Html.number(counts.get(i)))));
      svg.append(text((int) (left + slot * i + slot / 2), top + plotHeight + 16, "middle", labels.get(i)));
    }
    svg.append(text(left + plotWidth / 2, top + plotHeight + 36, "middle", xLabel));
    return svg.append("</svg>").toString();
  }

  /** Line chart of one or more series sharing axes (training loss per step). */
  static String lines(List<Series> series, String xLabel, String yLabel) {
    int left = 70;
    int top = 16;
    int plotHeight = 200;
    int height = top + plotHeight + 64;
    int plotWidth = WIDTH - left - 20;
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double[] p : s.points()) {
        if (!Double.isFinite(p[1])) {
          continue;
        }
        minX = Math.min(minX, p[0]);
        maxX = Math.max(maxX, p[0]);
        minY = Math.min(minY, p[1]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    if (!Double.isFinite(minX)) {
      minX = 0;
      maxX = 1;
      minY = 0;
      maxY = 1;
    }
    // Steps are integers: their axis gets distinct integer ticks, not 1, 1.5, 2.
    boolean integerX = series.stream().flatMap(s -> s.points().stream())
        .allMatch(p -> !Double.isFinite(p[1]) || (p[0] == Math.rint(p[0]) && Math.abs(p[0]) < 1e15));
    List<Long> xTicks = integerX ? integerTicks((long) (maxX - minX)) : List.of();
    double spanX = integerX ? xTicks.get(xTicks.size() - 1) : maxX - minX <= 0 ? 1 : maxX - minX;
    double spanY = maxY - minY <= 0 ? Math.max(1e-9, Math.abs(maxY)) : maxY - minY;
    StringBuilder svg = open(height, "lines");
    svg.append(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
            + "y2=\"%d\" stroke=\"#555\"/>",
        left, top, left, top + plotHeight, left, top + plotHeight, left + plotWidth, top + plotHeight));
    for (int i = 0; i <= 4; i++) {
      double y = minY + spanY * i / 4;
      int py = (int) (top + plotHeight - plotHeight * i / 4.0);
      svg.append(text(left - 6, py + 4, "end", Html.number(y)));
      if (!integerX) {
        double x = minX + spanX * i / 4;
        svg.append(text((int) (left + plotWidth * i / 4.0), top + plotHeight + 16, "middle", Html.number(x)));
      }
    }
    for (long tick : xTicks) {
      svg.append(text((int) Math.round(left + plotWidth * tick / spanX), top + plotHeight + 16, "middle",
          Html.number((long) minX + tick)));
    }
    for (int s = 0; s < series.size(); s++) {
      StringBuilder path = new StringBuilder();
      for (double[] p : series.get(s).points()) {
        if (!Double.isFinite(p[1])) {
          continue;
        }
        double px = left + plotWidth * (p[0] - minX) / spanX;
        double py = top + plotHeight - plotHeight * (p[1] - minY) / spanY;
        path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
      }
      svg.append(String.format(Locale.ROOT,
          "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"><title>%s</title></path>",
          path, PALETTE.get(s % PALETTE.size()), Html.escape(series.get(s).name())));
    }
    svg.append(text(left + plotWidth / 2, top + plotHeight + 34, "middle", xLabel));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">%s</text>",
        top + plotHeight / 2, top + plotHeight / 2, Html.escape(yLabel)));
    List<String> names = series.stream().map(Series::name).toList();
    svg.append(legend(names, colours(names.size()), left, height - 6));
    return svg.append("</svg>").toString();
  }

  /** The distinct keys of the bins' counts, in first-seen order. */
  static List<String> groupsOf(List<Bin> bins) {
    Set<String> groups = new LinkedHashSet<>();
    bins.forEach(b -> groups.addAll(b.counts().keySet()));
    return new ArrayList<>(groups);
  }

  private static StringBuilder open(int height, String kind) {
    return new StringBuilder(String.format(Locale.ROOT,
        "<svg class=\"chart %s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\">", kind,
        WIDTH, height));
  }

  /**
   * Ticks of a count axis from 0 to at least {@code max}: distinct integers, evenly spaced by 1, 2 or 5 times a
   * power of ten, at most 5 intervals. The last tick is the axis' top, so bars scale to it.
   */
  static List<Long> integerTicks(long max) {
    long top = Math.max(1, max);
    long decade = 1;
    long step = 1;
    for (int i = 1; (top + step - 1) / step > MAX_INTERVALS; i++) {
      if (i % NICE_STEPS.length == 0) {
        decade *= 10;
      }
      step = decade * NICE_STEPS[i % NICE_STEPS.length];
    }
    List<Long> ticks = new ArrayList<>();
    for (long tick = 0; tick < top + step; tick += step) {
      ticks.add(tick);
    }
    return ticks;
  }

  private static String axes(int left, int top, int plotWidth, int plotHeight, List<Long> ticks) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
            + "y2=\"%d\" stroke=\"#555\"/>",
        left, top, left, top + plotHeight, left, top + plotHeight, left + plotWidth, top + plotHeight));
    long axisTop = ticks.get(ticks.size() - 1);
    for (long tick : ticks) {
      int y = (int) Math.round(top + plotHeight - plotHeight * (double) tick / axisTop);
      out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>",
          left + 1, y, left + plotWidth, y));
      out.append(text(left - 6, y + 4, "end", Html.number(tick)));
    }
    return out.toString();
  }

  private static String legend(List<String> names, List<String> colours, int x, int y) {
    StringBuilder out = new StringBuilder();
    int offset = x;
    for (int i = 0; i < names.size(); i++) {
      out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>",
          offset, y - 9, colours.get(i)));
      out.append(text(offset + 14, y, "start", names.get(i)));
      offset += 24 + 7 * names.get(i).length();
    }
    return out.toString();
  }

  private static List<String> colours(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(PALETTE.get(i % PALETTE.size()));
    }
    return out;
  }

  private static String text(int x, int y, String anchor, String content) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s</text>", x, y, anchor,
        Html.escape(content));
  }
}
