package dev.refinery.annotation.imports;

/** The file formats {@code import-labels} reads. */
public enum ImportFormat {
  /** JSONL or CSV (by extension) rows of item (a pair_id), rater and label. */
  GENERIC,
  /** Label Studio's JSON export: tasks with annotations (choices or pairwise results). */
  LABEL_STUDIO,
  /** PandaLM's test set: pairs with annotator1..3 (0 = tie, 1, 2), and its judge files joined on idx. */
  PANDALM,
  /** Anthropic HH-RLHF JSONL: chosen/rejected transcripts; pairs only, no labels. */
  HH_RLHF
}
