package dev.refinery.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Visible text of an HTML page, one line per block element (like a WET conversion record): scripts,
 * styles and templates removed, whitespace inside a block collapsed. Charset from the HTTP header, else
 * jsoup's detection (BOM, meta tag, then UTF-8).
 */
final class HtmlText {
  private static final Set<String> BLOCKS = Set.of("p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2",
      "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "nav", "aside", "blockquote", "pre", "dd",
      "dt", "dl", "form", "title", "main", "figure", "figcaption", "hr", "td", "th");

  private HtmlText() {}

  static String extract(byte[] html, String charset, String url) {
    Document document;
    try {
      document = Jsoup.parse(new ByteArrayInputStream(html), charset, url == null ? "" : url);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      try {
        document = Jsoup.parse(new ByteArrayInputStream(html), null, url == null ? "" : url);
      } catch (IOException inner) {
        throw new UncheckedIOException(inner);
      }
    }
    document.select("script, style, noscript, template, svg, iframe").remove();
    StringBuilder text = new StringBuilder();
    StringBuilder line = new StringBuilder();
    NodeTraversor.traverse(new NodeVisitor() {
      @Override
      public void head(Node node, int depth) {
        if (node instanceof TextNode textNode) {
          String words = textNode.text();
          if (!words.isBlank()) {
            if (line.length() > 0 && !Character.isWhitespace(line.charAt(line.length() - 1))) {
              line.append(' ');
            }
            line.append(words.strip());
          }
        } else if (node instanceof Element element && BLOCKS.contains(element.normalName())) {
          flush();
        }
      }

      @Override
      public void tail(Node node, int depth) {
        if (node instanceof Element element && BLOCKS.contains(element.normalName())) {
          flush();
        }
      }

      private void flush() {
        String collapsed = line.toString().replaceAll("\\s+", " ").strip();
        if (!collapsed.isEmpty()) {
          text.append(collapsed).append('\n');
        }
        line.setLength(0);
      }
    }, document);
    String rest = line.toString().replaceAll("\\s+", " ").strip();
    if (!rest.isEmpty()) {
      text.append(rest).append('\n');
    }
    return text.toString().strip();
  }
}
