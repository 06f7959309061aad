package dev.refinery.core.table;

import java.util.List;

/**
 * Default names of the pipeline's Delta tables. Stages refer to tables by these names; the
 * {@link Lakehouse} maps them to the configured name ({@code tables.<name-with-dashes>}) and location.
 */
public final class Tables {
  private Tables() {}

  public static final String RAW_DOCUMENTS = "raw_documents";
  public static final String QUARANTINE = "quarantine";
  public static final String DOCUMENT_SIGNALS = "document_signals";
  public static final String FILTERED_DOCUMENTS = "filtered_documents";
  public static final String LM_MODELS = "lm_models";
  public static final String SCORED_DOCUMENTS = "scored_documents";
  public static final String QUALITY_MODELS = "quality_models";
  public static final String DEDUP_CLUSTERS = "dedup_clusters";
  public static final String MINHASH_SIGNATURES = "minhash_signatures";
  public static final String MINHASH_EDGES = "minhash_edges";
  public static final String EMBEDDINGS = "embeddings";
  public static final String DOCUMENTS_CLEAN = "documents_clean";
  public static final String CONTAMINATION = "contamination";
  public static final String LLM_CALLS = "llm_calls";
  public static final String INSTRUCTIONS = "instructions";
  public static final String CAI_REVISIONS = "cai_revisions";
  public static final String PREFERENCE_PAIRS = "preference_pairs";
  public static final String JUDGMENTS = "judgments";
  public static final String AGREEMENT = "agreement";
  public static final String AGREEMENT_SUMMARY = "agreement_summary";
  public static final String RM_TRAIN = "rm_train";
  public static final String DPO_TRAIN = "dpo_train";
  public static final String REF_LOGPROBS = "ref_logprobs";
  public static final String TRAINING_RUNS = "training_runs";
  public static final String PIPELINE_RUNS = "pipeline_runs";

  /** Every table, in pipeline order; {@code refinery tables} lists them in this order. */
  public static final List<String> ALL = List.of(
      RAW_DOCUMENTS, QUARANTINE, DOCUMENT_SIGNALS, FILTERED_DOCUMENTS, LM_MODELS, SCORED_DOCUMENTS,
      QUALITY_MODELS, MINHASH_SIGNATURES, MINHASH_EDGES, EMBEDDINGS, DEDUP_CLUSTERS, DOCUMENTS_CLEAN, LLM_CALLS, INSTRUCTIONS,
      CAI_REVISIONS, PREFERENCE_PAIRS, CONTAMINATION, JUDGMENTS, AGREEMENT, AGREEMENT_SUMMARY, RM_TRAIN, DPO_TRAIN,
      REF_LOGPROBS, TRAINING_RUNS, PIPELINE_RUNS);

  /** The config key under {@code tables} for a default table name: {@code raw_documents -> raw-documents}. */
  public static String configKey(String table) {
    return "tables." + table.replace('_', '-');
  }
}
