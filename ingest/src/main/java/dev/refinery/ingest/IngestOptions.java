package dev.refinery.ingest;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The {@code ingest.*} options, parsed and validated when the stage is created. */
public record IngestOptions(
    List<String> paths,
    IngestFormat format,
    String fixedSourceName,
    long maxDocumentBytes,
    String jsonlIdField,
    String jsonlTextField,
    List<String> jsonlMetaFields,
    TextMode textMode,
    String parquetIdField,
    String parquetTextField,
    Set<String> warcRecordTypes) implements Serializable {

  static final Set<String> WARC_TYPES = Set.of("conversion", "response", "resource");

  public static IngestOptions from(RefineryConfig config) {
    List<String> paths = config.getStringList("ingest.paths");
    List<String> warcTypes = config.getStringList("ingest.warc.record-types").stream()
        .map(t -> t.toLowerCase(Locale.ROOT)).toList();
    for (String type : warcTypes) {
      if (!WARC_TYPES.contains(type)) {
        throw RefineryException.userError(
            "Invalid config key 'ingest.warc.record-types': expected WARC types among %s but got '%s'",
            WARC_TYPES, type);
      }
    }
    long maxBytes = config.getBytes("ingest.max-document-bytes");
    config.check("ingest.max-document-bytes", maxBytes, b -> b > 0, "a positive size");
    return new IngestOptions(
        paths,
        config.getEnum("ingest.format", IngestFormat.class),
        config.getOptionalString("ingest.source-name").orElse(null),
        maxBytes,
        nonBlank(config, "ingest.jsonl.id-field"),
        nonBlank(config, "ingest.jsonl.text-field"),
        config.getStringList("ingest.jsonl.meta-fields"),
        config.getEnum("ingest.text.mode", TextMode.class),
        nonBlank(config, "ingest.parquet.id-field"),
        nonBlank(config, "ingest.parquet.text-field"),
        Set.copyOf(warcTypes));
  }

  /** {@code ingest.source-name} when set; otherwise each file's name is its documents' source. */
  public Optional<String> sourceName() {
    return Optional.ofNullable(fixedSourceName);
  }

  private static String nonBlank(RefineryConfig config, String key) {
    return config.check(key, config.getString(key), s -> !s.isBlank(), "a non-empty field name");
  }
}
