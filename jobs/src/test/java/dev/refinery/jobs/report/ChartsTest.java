package dev.refinery.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    RunReport report = new RunReport(Optional.of("r1"), "/tmp/lake", Instant.parse("2026-01-01T00:00:00Z"),
        List.of(ReportSection.of("funnel", "Funnel", List.of("<p>x</p>")),
            ReportSection.missing("training", "Training curves", "Not produced yet")));
    String html = HtmlReport.render(report);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<section id=\"training\" class=\"unavailable\">")
        .contains("data-ready").doesNotContain("src=").doesNotContain("https://");
  }
}
