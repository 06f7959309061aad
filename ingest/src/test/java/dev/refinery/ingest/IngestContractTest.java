package dev.refinery.ingest;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.testing.StageContractTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** ingest under the stage contract: real C4 lines plus a malformed one, so quarantine is exercised too. */
class IngestContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new IngestStageProvider();
  }

  @Override
  protected RefineryConfig configure(RefineryConfig base) {
    try {
      Path dir = Files.createTempDirectory("ingest-contract-");
      Path bad = dir.resolve("bad.jsonl");
      Files.writeString(bad, "{\"id\": \"a\", \"text\": \"a real enough document\"}\n{not json\n");
      String c4 = SharedSpark.repoRoot().resolve("samples/web-sample/olmo-c4/c4-sample.01.json.gz").toString();
      return base.with("ingest.format", "jsonl").with("ingest.paths", List.of(c4, bad.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void seedInputs() {
    // Reads files only.
  }
}
