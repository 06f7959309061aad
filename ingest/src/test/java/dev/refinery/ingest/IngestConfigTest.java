package dev.refinery.ingest;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.testing.ConfigSectionContract;
import java.util.List;
import java.util.Set;

/** ingest's sections of conf/application.conf, pinned key by key, and read when its stages are built. */
class IngestConfigTest extends ConfigSectionContract {
  @Override
  protected List<String> sections() {
    return List.of("ingest");
  }

  @Override
  protected void readAtStartUp(RefineryConfig config) {
    new IngestStageProvider().create(config);
  }

  @Override
  protected Set<String> optionalKeys() {
    return Set.of("ingest.source-name");
  }

  @Override
  protected String pinnedDefaults() {
    return """
        ingest.format = "jsonl"
        ingest.jsonl.id-field = "id"
        ingest.jsonl.meta-fields = []
        ingest.jsonl.text-field = "text"
        ingest.max-document-bytes = "1m"
        ingest.parquet.id-field = "id"
        ingest.parquet.text-field = "text"
        ingest.paths = []
        ingest.source-name = ""
        ingest.text.mode = "per-file"
        ingest.warc.record-types = ["conversion","response"]
        """;
  }
}
