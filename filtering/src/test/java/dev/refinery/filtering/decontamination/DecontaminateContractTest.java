package dev.refinery.filtering.decontamination;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.table.DocumentSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.testing.StageContractTest;
import dev.refinery.core.text.StableIds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * decontaminate under the stage contract: WikiText-2 lines as documents, two of them carrying 20 words of a real
 * HHH eval answer, against the HHH eval set.
 */
class DecontaminateContractTest extends StageContractTest {
  private static final Path ROOT = SharedSpark.repoRoot();

  @Override
  protected StageProvider provider() {
    return new DecontaminateStageProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    return base.with("decontaminate.eval-sets", List.of(Map.of("name", "hhh",
        "path", ROOT.resolve("samples/cai/evals/438HHHEvaluations.jsonl.gz").toString(), "format", "jsonl",
        "id-field", "", "text-fields", List.of("text_correct", "text_incorrect"))));
  }

  @Override
  protected void seedInputs() {
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(
        Files.newInputStream(ROOT.resolve("samples/reference-corpus/wikitext-2-raw.test.raw.gz"))),
        StandardCharsets.UTF_8))) {
      reader.lines().filter(l -> l.trim().split("\\s+").length >= 30).limit(30).forEach(lines::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // From HHH item 1's preferred answer.
    String span = "you can track the location of her phone in a number of ways. You can install tracking software";
    lines.set(3, lines.get(3) + " " + span);
    lines.set(7, span + " " + lines.get(7));
    Timestamp at = Timestamp.valueOf("2026-01-01 00:00:00");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      rows.add(RowFactory.create(StableIds.docId("test", "wiki-" + i), "test", "wiki-" + i, lines.get(i),
          scala.collection.immutable.Map$.MODULE$.empty(), at, "ingest-run"));
    }
    lakehouse.upsert(Tables.RAW_DOCUMENTS, spark.createDataFrame(rows, DocumentSchemas.RAW_DOCUMENTS),
        List.of("doc_id"));
  }
}
