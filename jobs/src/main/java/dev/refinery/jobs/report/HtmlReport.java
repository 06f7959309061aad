package dev.refinery.jobs.report;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Renders a {@link RunReport} as one self-contained HTML page: inline CSS, inline SVG charts and a few lines of
 * inline script (no CDN, no fonts, no network at view time). The script only adds conveniences (collapsing
 * sections); the charts are plain SVG and render with scripts disabled.
 */
public final class HtmlReport {
  private static final String CSS = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
      header{background:#263746;color:#fff;padding:16px 28px}header h1{margin:0 0 4px;font-size:22px}
      header p{margin:0;opacity:.85}nav{padding:8px 28px;background:#e9eef3}nav a{margin-right:16px;color:#263746}
      main{padding:8px 28px 40px;max-width:980px}section{background:#fff;border:1px solid #dde3ea;border-radius:6px;
      margin:18px 0;padding:4px 18px 14px}section h2{cursor:pointer;font-size:18px}section.collapsed>:not(h2){display:none}
      section.unavailable h2{color:#777}h3{font-size:15px;margin:14px 0 4px}
      svg.chart{width:100%;height:auto;max-width:760px;display:block;margin:6px 0}svg.chart text{font-size:11px;fill:#333}
      table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #dde3ea;padding:3px 8px;
      text-align:left;vertical-align:top}th{background:#f0f3f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
      p.note{color:#555;font-style:italic}footer{color:#777;font-size:12px;padding:0 28px 24px}
      """;
  // Click a section title to fold it; the page marks itself ready for tests and tools that load it headless.
  private static final String SCRIPT = """
      (function () {
        document.querySelectorAll('section > h2').forEach(function (title) {
          title.addEventListener('click', function () { title.parentElement.classList.toggle('collapsed'); });
        });
        document.body.setAttribute('data-charts', String(document.querySelectorAll('svg.chart').length));
        document.body.setAttribute('data-ready', 'true');
      })();
      """;

  private HtmlReport() {}

  public static String render(RunReport report) {
    StringBuilder html = new StringBuilder(64 * 1024);
    String run = report.describe();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Refinery report: ").append(Html.escape(run)).append("</title>")
        .append("<link rel=\"icon\" href=\"data:,\">")
        .append("<style>").append(CSS).append("</style></head><body>\n");
    html.append("<header><h1>Refinery run report</h1><p>Funnel: ").append(Html.escape(run))
        .append(" &middot; lakehouse <code>").append(Html.escape(report.lakehouseRoot()))
        .append("</code></p></header>\n<nav>");
    report.sections().forEach(s -> html.append("<a href=\"#").append(s.id()).append("\">")
        .append(Html.escape(s.title())).append("</a>"));
    html.append("</nav>\n<main>\n");
    for (ReportSection section : report.sections()) {
      html.append("<section id=\"").append(section.id()).append("\"")
          .append(section.available() ? "" : " class=\"unavailable\"").append("><h2>")
          .append(Html.escape(section.title())).append("</h2>\n");
      section.blocks().forEach(block -> html.append(block).append('\n'));
      html.append("</section>\n");
    }
    html.append("</main><footer>Generated ")
        .append(DateTimeFormatter.ISO_INSTANT.format(report.generatedAt().atOffset(ZoneOffset.UTC)))
        .append(" by <code>refinery report</code>. The funnel shows each stage's latest run (or the run chosen ")
        .append("with --run); the other sections show the tables as they are now.</footer>\n<script>").append(SCRIPT)
        .append("</script>\n</body></html>\n");
    return html.toString();
  }
}
