package dev.refinery.jobs.report;

import java.util.List;
import java.util.Locale;

/** HTML escaping, number formatting and plain tables for the report. */
final class Html {
  private Html() {}

  static String escape(Object value) {
    String text = String.valueOf(value);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Integers with thousands separators, other numbers with up to 4 significant decimals, null as an em dash. */
  static String number(Object value) {
    if (value == null) {
      return "\u2014";
    }
    if (value instanceof Long || value instanceof Integer) {
      return String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d)) {
        return "NaN";
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return String.format(Locale.ROOT, "%,d", (long) d);
      }
      return Math.abs(d) >= 1000 ? String.format(Locale.ROOT, "%,.1f", d) : String.format(Locale.ROOT, "%.4g", d);
    }
    return String.valueOf(value);
  }

  /** A table; cells that are numbers are right-aligned and formatted. */
  static String table(List<String> header, List<List<Object>> rows) {
    StringBuilder out = new StringBuilder("<table><thead><tr>");
    header.forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
    out.append("</tr></thead><tbody>");
    for (List<Object> row : rows) {
      out.append("<tr>");
      for (Object cell : row) {
        if (cell instanceof Number) {
          out.append("<td class=\"num\">").append(escape(number(cell))).append("</td>");
        } else {
          out.append("<td>").append(cell == null ? "\u2014" : escape(cell)).append("</td>");
        }
      }
      out.append("</tr>");
    }
    return out.append("</tbody></table>").toString();
  }

  static String note(String text) {
    return "<p class=\"note\">" + escape(text) + "</p>";
  }
}
