package dev.refinery.ingest;

import dev.refinery.core.text.ByteOrderMark;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * WARC 1.0/1.1 and WET files (Common Crawl). {@code conversion} records carry extracted text;
 * {@code response} records carry HTTP responses whose HTML is turned into text here. Other record types
 * (warcinfo, request, metadata) are not documents and are passed over without being counted.
 */
final class WarcReader implements RecordReader {
  private final Set<String> recordTypes;
  private final long maxDocumentBytes;

  WarcReader(Set<String> recordTypes, long maxDocumentBytes) {
    this.recordTypes = recordTypes;
    this.maxDocumentBytes = maxDocumentBytes;
  }

  @Override
  public void read(String file, InputStream source, Consumer<ParsedRecord> out) throws IOException {
    InputStream in = source.markSupported() ? source : new BufferedInputStream(source, 1 << 16);
    ByteOrderMark.skip(in); // a WET file edited on Windows; WARC framing starts after it
    long index = 0;
    while (true) {
      Map<String, String> headers;
      try {
        headers = readHeaders(in);
      } catch (IOException e) {
        out.accept(ParsedRecord.rejected(file, index + 1, "record " + (index + 1),
            "malformed WARC header: " + e.getMessage(), null));
        return; // the stream position is lost; nothing after this can be framed
      }
      if (headers == null) {
        return;
      }
      index++;
      String position = "record " + index;
      long length;
      try {
        length = Long.parseLong(headers.getOrDefault("content-length", "").trim());
      } catch (NumberFormatException e) {
        out.accept(ParsedRecord.rejected(file, index, position, "WARC record without a valid Content-Length",
            headers.toString()));
        return;
      }
      String type = headers.getOrDefault("warc-type", "").toLowerCase(Locale.ROOT);
      boolean wanted = recordTypes.contains(type);
      byte[] body = wanted && length <= maxDocumentBytes * 4 ? in.readNBytes((int) length) : null;
      if (body == null) {
        in.skipNBytes(length);
      } else if (body.length < length) {
        out.accept(ParsedRecord.rejected(file, index, position, "truncated WARC record: expected " + length
            + " bytes, got " + body.length, null));
        return;
      }
      if (wanted) {
        out.accept(body == null
            ? ParsedRecord.rejected(file, index, position, "document too large: WARC record of " + length
                + " bytes exceeds ingest.max-document-bytes", null)
            : toDocument(file, index, position, type, headers, body));
      }
    }
  }

  private ParsedRecord toDocument(String file, long index, String position, String type, Map<String, String> headers,
      byte[] body) {
    String id = headers.getOrDefault("warc-record-id", "record-" + index).replaceAll("[<>]", "");
    Map<String, String> meta = new LinkedHashMap<>();
    putIfPresent(meta, "url", headers.get("warc-target-uri"));
    putIfPresent(meta, "warc_date", headers.get("warc-date"));
    putIfPresent(meta, "warc_type", type);
    putIfPresent(meta, "refers_to", headers.get("warc-refers-to"));
    String text;
    if (type.equals("response")) {
      HttpPayload payload;
      try {
        payload = HttpPayload.parse(body);
      } catch (IOException e) {
        return ParsedRecord.rejected(file, index, position, "malformed HTTP response: " + e.getMessage(),
            Utf8.lenient(head(body)));
      }
      putIfPresent(meta, "content_type", payload.contentType());
      putIfPresent(meta, "http_status", String.valueOf(payload.status()));
      if (!payload.isText()) {
        return ParsedRecord.skipped(file, index, position, "non_text_response");
      }
      text = payload.isHtml() ? HtmlText.extract(payload.body(), payload.charset(), headers.get("warc-target-uri"))
          : new String(payload.body(), payload.charsetOrUtf8());
    } else {
      try {
        text = Utf8.decode(body);
      } catch (Utf8.InvalidUtf8Exception e) {
        return ParsedRecord.rejected(file, index, position, "invalid UTF-8 at byte " + e.byteOffset + " of the record",
            Utf8.lenient(head(body)));
      }
    }
    if (text.isBlank()) {
      return ParsedRecord.rejected(file, index, position, "empty text", null);
    }
    if (Sizes.utf8Length(text) > maxDocumentBytes) {
      return ParsedRecord.rejected(file, index, position, "document too large: " + Sizes.utf8Length(text)
          + " bytes exceeds ingest.max-document-bytes", text.substring(0, Math.min(text.length(), 4096)));
    }
    return ParsedRecord.document(file, index, position, id, text, meta);
  }

  private static byte[] head(byte[] body) {
    return java.util.Arrays.copyOf(body, Math.min(body.length, 4096));
  }

  private static void putIfPresent(Map<String, String> meta, String key, String value) {
    if (value != null && !value.isBlank()) {
      meta.put(key, value.trim());
    }
  }

  /** Reads a record's header block; null at a clean end of stream. Keys are lower-cased. */
  private static Map<String, String> readHeaders(InputStream in) throws IOException {
    String version;
    do {
      version = readLine(in);
      if (version == null) {
        return null;
      }
    } while (version.isEmpty());
    if (!version.startsWith("WARC/")) {
      throw new IOException("expected 'WARC/' version line but found '" + abbreviate(version) + "'");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while ((line = readLine(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    return headers;
  }

  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
    int b;
    boolean any = false;
    while ((b = in.read()) != -1) {
      any = true;
      if (b == '\n') {
        break;
      }
      if (buffer.size() > 65_536) {
        throw new IOException("header line longer than 64 KiB");
      }
      buffer.write(b);
    }
    if (!any) {
      return null;
    }
    String line = buffer.toString(StandardCharsets.UTF_8);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  /** The HTTP response inside a WARC response record. */
  record HttpPayload(int status, String contentType, String charset, byte[] body) {
    boolean isHtml() {
      return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("html");
    }

    boolean isText() {
      return contentType == null || isHtml() || contentType.toLowerCase(Locale.ROOT).startsWith("text/");
    }

    java.nio.charset.Charset charsetOrUtf8() {
      try {
        return charset == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(charset);
      } catch (RuntimeException e) {
        return StandardCharsets.UTF_8;
      }
    }

    static HttpPayload parse(byte[] record) throws IOException {
      InputStream in = new ByteArrayInputStream(record);
      String statusLine = readLine(in);
      if (statusLine == null || !statusLine.startsWith("HTTP/")) {
        throw new IOException("no HTTP status line");
      }
      String[] parts = statusLine.split(" ", 3);
      int status = parts.length > 1 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : 0;
      Map<String, String> headers = new LinkedHashMap<>();
      String line;
      while ((line = readLine(in)) != null && !line.isEmpty()) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
      }
      byte[] body = in.readAllBytes();
      if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", "").trim())) {
        body = dechunk(body);
      }
      String encoding = headers.getOrDefault("content-encoding", "").trim().toLowerCase(Locale.ROOT);
      if (encoding.equals("gzip") || encoding.equals("x-gzip")) {
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = gz.readAllBytes();
        }
      }
      String contentType = headers.get("content-type");
      String charset = null;
      if (contentType != null) {
        for (String param : contentType.split(";")) {
          String p = param.trim();
          if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
            charset = p.substring(8).replace("\"", "").trim();
          }
        }
      }
      return new HttpPayload(status, contentType, charset, body);
    }

    private static byte[] dechunk(byte[] body) throws IOException {
      InputStream in = new ByteArrayInputStream(body);
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
      String sizeLine;
      while ((sizeLine = readLine(in)) != null) {
        String hex = sizeLine.split(";")[0].trim();
        if (hex.isEmpty()) {
          continue;
        }
        int size;
        try {
          size = Integer.parseInt(hex, 16);
        } catch (NumberFormatException e) {
          return body; // not actually chunked (servers lie); keep the bytes as they are
        }
        if (size == 0) {
          break;
        }
        out.write(in.readNBytes(size));
      }
      return out.toByteArray();
    }
  }
}
