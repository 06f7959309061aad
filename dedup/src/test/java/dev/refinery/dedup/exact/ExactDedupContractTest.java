package dev.refinery.dedup.exact;

import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.testing.StageContractTest;
import dev.refinery.dedup.NearDupCorpus;
import dev.refinery.dedup.TestDocuments;
import java.util.ArrayList;
import java.util.List;

/** dedup-exact under the stage contract, on WikiText paragraphs with exact copies up to case and spacing. */
class ExactDedupContractTest extends StageContractTest {
  @Override
  protected StageProvider provider() {
    return new ExactDedupProvider();
  }

  @Override
  protected void seedInputs() {
    List<NearDupCorpus.Doc> docs = new ArrayList<>(NearDupCorpus.wikiText(3, 5));
    docs.add(new NearDupCorpus.Doc("copy/0", "  " + docs.get(0).text().toUpperCase() + "\n"));
    docs.add(new NearDupCorpus.Doc("copy/1", docs.get(1).text().replace(" ", "   ")));
    TestDocuments.writeRaw(spark, lakehouse, docs);
  }
}
