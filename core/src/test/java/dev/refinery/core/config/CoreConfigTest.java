package dev.refinery.core.config;

import dev.refinery.core.testing.ConfigSectionContract;
import java.util.List;

/**
 * core's sections of conf/application.conf, pinned key by key. Lakehouse, SparkSessions and the stage context
 * read them once a session exists; their own tests cover the reads.
 */
class CoreConfigTest extends ConfigSectionContract {
  @Override
  protected List<String> sections() {
    return List.of("lakehouse", "tables", "spark", "quarantine");
  }

  @Override
  protected boolean readsEveryKeyAtStartUp() {
    return false;
  }

  @Override
  protected void readAtStartUp(RefineryConfig config) {
    config.getString("lakehouse.root");
    config.getInt("lakehouse.conflict-retries");
  }

  @Override
  protected String pinnedDefaults() {
    return """
        lakehouse.conflict-retries = 10
        lakehouse.root = "./lakehouse"
        tables.agreement = "agreement"
        tables.agreement-summary = "agreement_summary"
        tables.cai-revisions = "cai_revisions"
        tables.contamination = "contamination"
        tables.dedup-clusters = "dedup_clusters"
        tables.document-signals = "document_signals"
        tables.documents-clean = "documents_clean"
        tables.dpo-train = "dpo_train"
        tables.embeddings = "embeddings"
        tables.filtered-documents = "filtered_documents"
        tables.instructions = "instructions"
        tables.judgments = "judgments"
        tables.llm-calls = "llm_calls"
        tables.lm-models = "lm_models"
        tables.minhash-edges = "minhash_edges"
        tables.minhash-signatures = "minhash_signatures"
        tables.pipeline-runs = "pipeline_runs"
        tables.preference-pairs = "preference_pairs"
        tables.quality-models = "quality_models"
        tables.quarantine = "quarantine"
        tables.raw-documents = "raw_documents"
        tables.ref-logprobs = "ref_logprobs"
        tables.rm-train = "rm_train"
        tables.scored-documents = "scored_documents"
        tables.training-runs = "training_runs"
        spark.app-name = "refinery"
        spark.log-level = "WARN"
        spark.master = "local[*]"
        spark.shuffle-partitions = 8
        quarantine.max-raw-chars = 2000
        """;
  }
}
