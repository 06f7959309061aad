package dev.refinery.jobs.report;

import java.util.List;

/**
 * One section of the report: a title, and either HTML blocks (charts, tables) or, when its tables do not
 * exist yet, a note saying which stage produces them.
 *
 * @param id HTML id (anchor in the table of contents)
 * @param blocks HTML fragments (inline SVG charts, tables, notes), already escaped
 * @param available false when the section's tables have not been produced yet
 */
public record ReportSection(String id, String title, List<String> blocks, boolean available) {
  public ReportSection {
    blocks = List.copyOf(blocks);
  }

  static ReportSection of(String id, String title, List<String> blocks) {
    return new ReportSection(id, title, blocks, true);
  }

  static ReportSection missing(String id, String title, String why) {
    return new ReportSection(id, title, List.of(Html.note(why)), false);
  }
}
