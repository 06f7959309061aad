package dev.refinery.filtering.perplexity;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.table.DocumentSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.StageContractTest;
import dev.refinery.core.text.StableIds;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** perplexity under the stage contract: real WikiText-2 lines scored with a small ARPA model, plus empty text. */
class PerplexityContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new PerplexityStageProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    return base.with("perplexity.model-path", TestModels.resource("test.arpa"));
  }

  @Override
  protected void seedInputs() {
    List<Row> rows = new ArrayList<>();
    List<String> lines = new ArrayList<>(TestModels.wikiLines("wikitext-2-raw.test.raw.gz", 100, 30));
    lines.add("");
    Timestamp at = Timestamp.valueOf("2026-01-01 00:00:00");
    for (int i = 0; i < lines.size(); i++) {
      rows.add(RowFactory.create(StableIds.docId("test", "wiki-" + i), "test", "wiki-" + i, lines.get(i),
          scala.collection.immutable.Map$.MODULE$.empty(), at, "ingest-run"));
    }
    lakehouse.upsert(Tables.RAW_DOCUMENTS, spark.createDataFrame(rows, DocumentSchemas.RAW_DOCUMENTS),
        List.of("doc_id"));
  }
}
