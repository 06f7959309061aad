package dev.refinery.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The report's SVG and HTML rendering, without Spark (the whole command runs in python/tests/test_report.py). */
class ChartsTest {
  @Test
  void escapesEverythingItEmbeds() {
    assertThat(Html.escape("<script>alert('x') & \"y\"</script>"))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    String svg = Charts.columns(List.of("<b>"), List.of(3L), "size & count");
    assertThat(svg).contains("&lt;b&gt;").contains("size &amp; count").doesNotContain("<b>");
  }

  @Test
  void formatsNumbersForPeople() {
    assertThat(Html.number(1234567L)).isEqualTo("1,234,567");
    assertThat(Html.number(0.123456)).isEqualTo("0.1235");
    assertThat(Html.number(2.0)).isEqualTo("2");
    assertThat(Html.number(null)).isEqualTo("\u2014");
  }

  @Test
  void funnelBarsAreProportionalToTheLargestCount() {
    String svg = Charts.horizontalBars(List.of(new Charts.Bar("ingest", 50, 100, "t1"),
        new Charts.Bar("perplexity", 25, 50, "t2")), "rows out", "rows in");
    // plot width = 760 - 150 - 170 = 440: rows in of ingest spans it all, rows out of perplexity a quarter.
    assertThat(svg).contains("width=\"440.0\"").contains("width=\"110.0\"").contains("<title>t2</title>");
  }

  @Test
  void histogramStacksGroupsAndDrawsCutOffMarkers() {
    List<Charts.Bin> bins = List.of(new Charts.Bin(0, 1, Map.of("head", 4L)),
        new Charts.Bin(1, 2, Map.of("head", 1L, "tail", 3L)));
    String svg = Charts.histogram(bins, List.of("head", "tail"), List.of(new Charts.Marker(1.5, "tail from 31")),
        "x", Html::number);
    assertThat(svg).contains("head: 4 in [0, 1)").contains("tail: 3 in [1, 2)").contains("stroke-dasharray")
        .contains(">tail from 31</text>");
    assertThat(svg.split("<rect ", -1)).hasSize(1 + 3 + 2); // three bars, two legend swatches
  }

  @Test
  void linesSkipNonFiniteValues() {
    String svg = Charts.lines(List.of(new Charts.Series("dpo", List.of(new double[] {1, 0.7},
        new double[] {2, Double.NaN}, new double[] {3, 0.5}))), "step", "loss");
    assertThat(svg).containsPattern("d=\"M[0-9.]+ [0-9.]+ L[0-9.]+ [0-9.]+\"").doesNotContain("NaN");
  }

  @Test
  void pageIsSelfContained() {
    RunReport report = new RunReport(Optional.of("r1"), List.of("r1"), "/tmp/lake", Instant.parse("2026-01-01T00:00:00Z"),
        List.of(ReportSection.of("funnel", "Funnel", List.of("<p>x</p>")),
            ReportSection.missing("training", "Training curves", "Not produced yet")));
    String html = HtmlReport.render(report);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<section id=\"training\" class=\"unavailable\">")
        .contains("data-ready").doesNotContain("src=").doesNotContain("https://");
  }

  @Test
  void countAxesHaveDistinctIntegerTicks() {
    assertThat(Charts.integerTicks(0)).containsExactly(0L, 1L);
    assertThat(Charts.integerTicks(1)).containsExactly(0L, 1L);
    assertThat(Charts.integerTicks(3)).containsExactly(0L, 1L, 2L, 3L);
    assertThat(Charts.integerTicks(5)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(Charts.integerTicks(7)).containsExactly(0L, 2L, 4L, 6L, 8L);
    assertThat(Charts.integerTicks(100)).containsExactly(0L, 20L, 40L, 60L, 80L, 100L);
    assertThat(Charts.integerTicks(101)).containsExactly(0L, 50L, 100L, 150L);
    assertThat(Charts.integerTicks(12_345)).containsExactly(0L, 5_000L, 10_000L, 15_000L);
  }

  @Test
  void smallCountsGetOneTickPerInteger() {
    // The columns' count axis labels are the end-anchored texts left of the plot (x = 60 - 6).
    String columns = Charts.columns(List.of("a", "b", "c"), List.of(1L, 3L, 2L), "size");
    assertThat(texts(columns, "x=\"54\" y=\"\\d+\" text-anchor=\"end\"")).containsExactly("0", "1", "2", "3");
    // The tallest column reaches the top tick (plot height 180 from y = 16).
    assertThat(columns).containsPattern("y=\"16.0\" width=\"[0-9.]+\" height=\"180.0\"");
    String histogram = Charts.histogram(List.of(new Charts.Bin(0, 1, Map.of("pairs", 1L)),
        new Charts.Bin(1, 2, Map.of("pairs", 2L))), List.of("pairs"), List.of(), "x", Html::number);
    assertThat(texts(histogram, "x=\"54\" y=\"\\d+\" text-anchor=\"end\"")).containsExactly("0", "1", "2");
  }

  @Test
  void integerStepsGetIntegerTicks() {
    String svg = Charts.lines(List.of(new Charts.Series("rm", List.of(new double[] {1, 0.7}, new double[] {2, 0.6},
        new double[] {3, 0.5}))), "step", "loss");
    // x labels sit 16 below the plot (top 16 + height 200).
    assertThat(texts(svg, "x=\"\\d+\" y=\"232\" text-anchor=\"middle\"")).containsExactly("1", "2", "3");
  }

  @Test
  void cutOffsAreRoundedToFourSignificantDigits() {
    assertThat(PerplexitySection.cutOff("123.4567890123456")).isEqualTo("123.5");
    assertThat(PerplexitySection.cutOff("31.0")).isEqualTo("31");
    assertThat(PerplexitySection.cutOff("4567.891234567891")).isEqualTo("4,567.9");
    assertThat(PerplexitySection.cutOff("median")).isEqualTo("median");
    assertThat(PerplexitySection.cutOff(null)).isEqualTo("?");
  }

  private static List<String> texts(String svg, String attributes) {
    Matcher m = Pattern.compile("<text " + attributes + ">([^<]*)</text>").matcher(svg);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
