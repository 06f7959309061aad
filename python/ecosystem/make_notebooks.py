"""Writes notebooks/explore.ipynb and notebooks/trl_dataset.ipynb (source of truth for their cells).

Run after editing: python python/ecosystem/make_notebooks.py. The notebooks are committed without outputs.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[2]

SETUP = '''\
import os
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from deltalake import DeltaTable

# The lakehouse: REFINERY_LAKEHOUSE, else ./lakehouse (relative to where Jupyter runs; from notebooks/ the
# checkout's lakehouse is ../lakehouse). For S3 use DeltaTable("s3://bucket/...", storage_options={...}).
LAKEHOUSE = Path(os.environ.get("REFINERY_LAKEHOUSE", "lakehouse")).resolve()
if not LAKEHOUSE.exists() and Path("../lakehouse").exists():
    LAKEHOUSE = Path("../lakehouse").resolve()
PIPELINE_ORDER = ["ingest", "quality-classifier-train", "quality-signals", "quality-filter", "lm-train", "perplexity",
                  "dedup-exact", "dedup-minhash", "dedup-semantic", "self-instruct", "cai", "import-pairs", "judge",
                  "import-labels", "agreement", "decontaminate", "export", "ref-logprobs", "train-rm", "train-dpo"]
con = duckdb.connect()


def table(name):
    """The Delta table as a DuckDB view named `name` (Arrow, no copy), or None when it does not exist yet."""
    path = LAKEHOUSE / name
    if not (path / "_delta_log").is_dir():
        print(f"skipped: table {name} does not exist yet in {LAKEHOUSE}")
        return None
    dataset = DeltaTable(str(path)).to_pyarrow_dataset()
    con.register(name, dataset)
    return dataset


print("lakehouse:", LAKEHOUSE)
print("tables:", sorted(p.name for p in LAKEHOUSE.iterdir() if (p / "_delta_log").is_dir()) if LAKEHOUSE.exists() else [])
'''

FUNNEL = '''\
runs = table("pipeline_runs")
if runs is not None:
    latest = con.sql("SELECT run_id FROM pipeline_runs ORDER BY started_at DESC LIMIT 1").fetchall()[0][0]
    funnel = con.sql(f"""
        SELECT stage, status, rows_in, rows_out, rows_dropped, rows_quarantined, duration_ms / 1000.0 AS seconds
        FROM pipeline_runs WHERE run_id = '{latest}'""").df()
    funnel["order"] = funnel["stage"].map(lambda s: PIPELINE_ORDER.index(s) if s in PIPELINE_ORDER else 99)
    funnel = funnel.sort_values("order").drop(columns="order").reset_index(drop=True)
    print("run", latest)
    display(funnel)
    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.4 * len(funnel)))
    ax.barh(funnel["stage"], funnel["rows_in"], color="#d5dde8", label="rows in")
    ax.barh(funnel["stage"], funnel["rows_out"], color="#4e79a7", label="rows out")
    ax.invert_yaxis()
    ax.set_xlabel("rows")
    ax.legend()
    ax.set_title(f"Rows kept per stage, run {latest}")
    plt.show()
'''

QUALITY_TITLE = '## Document quality: languages, filter drop reasons, PII and signals (`document_signals`, `filtered_documents`)\n\nOne row per document and one column per signal, as `quality-signals` wrote them; `quality-filter` records for each document whether it was kept and the first rule it failed. Threshold the signals in SQL to try a rule before putting it in the config.'

QUALITY = '''\
signals = table("document_signals")
if signals is not None:
    filtered = table("filtered_documents")
    outcome = ("CASE WHEN f.kept IS NULL THEN 'not filtered' WHEN f.kept THEN 'kept' ELSE 'dropped' END"
               if filtered is not None else "'documents'")
    joined = "document_signals s" + (" LEFT JOIN filtered_documents f USING (doc_id)" if filtered is not None else "")
    docs = con.sql(f"SELECT s.*, {outcome} AS outcome FROM {joined}").df()
    print(f"{len(docs)} documents with signals;", docs["outcome"].value_counts().to_dict())
    languages = (docs.assign(language=docs["language"].fillna("unknown")).groupby("language")
                 .agg(documents=("doc_id", "size"), mean_confidence=("language_confidence", "mean"),
                      kept=("outcome", lambda o: int((o == "kept").sum())))
                 .sort_values("documents", ascending=False))
    display(languages)
    if filtered is not None:
        display(con.sql("""SELECT drop_reason AS first_rule_failed, count(*) AS documents FROM filtered_documents
                           WHERE NOT kept GROUP BY ALL ORDER BY documents DESC""").df())
    pii = [c for c in docs.columns if c.startswith("pii_") and c != "pii_total"]
    display(pd.DataFrame({"occurrences": docs[pii].sum(), "documents": (docs[pii] > 0).sum()}))
    shown = ["gopher_word_count", "gopher_mean_word_length", "gopher_alpha_words_fraction", "gopher_dup_line_fraction",
             "c4_lines_no_terminal_punct_fraction", "fineweb_line_punct_ratio", "fineweb_short_line_ratio",
             "language_confidence"]
    fig, axes = plt.subplots(2, 4, figsize=(16, 6))
    for ax, column in zip(axes.flat, shown):
        values = docs[column].astype(float)
        if column == "gopher_word_count":
            values = np.log10(values + 1)
        bins = np.linspace(values.min(), values.max() if values.max() > values.min() else values.min() + 1, 21)
        for name, group in values.groupby(docs["outcome"]):
            ax.hist(group, bins=bins, alpha=0.6, label=name)
        ax.set_title(column + (" (log10 of 1 + words)" if column == "gopher_word_count" else ""), fontsize=9)
        ax.legend(fontsize=8)
    plt.tight_layout()
    plt.show()
'''

PERPLEXITY = '''\
scored = table("scored_documents")
if scored is not None:
    ppl = con.sql("SELECT perplexity, bucket, kept FROM scored_documents WHERE perplexity > 0").df()
    # The cut-offs the perplexity stage chose, from its latest pipeline_runs row (metrics head_below, tail_from).
    cuts = {}
    if runs is not None:
        rows = con.sql("""SELECT metrics FROM pipeline_runs WHERE stage = 'perplexity' AND status = 'succeeded'
                          ORDER BY started_at DESC LIMIT 1""").fetchall()
        if rows:
            metrics = rows[0][0]
            metrics = dict(metrics) if not isinstance(metrics, dict) else metrics
            cuts = {k: float(metrics[k]) for k in ("head_below", "tail_from") if k in metrics}
    print("cut-offs:", cuts or "none recorded")
    display(ppl.groupby(["bucket", "kept"], dropna=False)["perplexity"].describe())
    if len(ppl):
        bins = np.logspace(np.log10(ppl["perplexity"].min()), np.log10(ppl["perplexity"].max()) + 1e-9, 40)
        fig, ax = plt.subplots(figsize=(8, 3.5))
        groups = [b for b in ["head", "middle", "tail"] if b in set(ppl["bucket"])]
        ax.hist([ppl.loc[ppl["bucket"] == b, "perplexity"] for b in groups], bins=bins, stacked=True, label=groups)
        for name, cut in cuts.items():
            ax.axvline(cut, color="#c0392b", linestyle="--")
            ax.text(cut, ax.get_ylim()[1] * 0.95, f" {name}={cut:.0f}", color="#c0392b")
        ax.set_xscale("log")
        ax.set_xlabel("perplexity")
        ax.set_ylabel("documents")
        ax.legend()
        plt.show()
'''

DEDUP = '''\
clusters = table("dedup_clusters")
if clusters is not None:
    sizes = con.sql("""
        WITH c AS (SELECT method, cluster_id, count(*) AS size FROM dedup_clusters GROUP BY ALL)
        SELECT method, size, count(*) AS clusters FROM c GROUP BY ALL ORDER BY method, size""").df()
    display(con.sql("""SELECT method, count(DISTINCT cluster_id) AS clusters, count(*) AS documents,
                              sum(CASE WHEN doc_id <> representative THEN 1 ELSE 0 END) AS dropped
                       FROM dedup_clusters GROUP BY method ORDER BY method""").df())
    methods = list(sizes["method"].unique())
    if methods:
        fig, axes = plt.subplots(1, len(methods), figsize=(4 * len(methods), 3), squeeze=False)
        for ax, method in zip(axes[0], methods):
            part = sizes[sizes["method"] == method]
            ax.bar(part["size"].astype(str), part["clusters"])
            ax.set_title(method)
            ax.set_xlabel("cluster size")
            ax.set_ylabel("clusters")
        plt.tight_layout()
        plt.show()
'''

AGREEMENT = '''\
agreement = table("agreement")
if agreement is not None:
    pairs = con.sql("SELECT aggregated_label, agreement_rate, entropy, soft_score, kept, reason FROM agreement").df()
    display(pairs.groupby(["aggregated_label", "kept"], dropna=False).size().rename("pairs").reset_index())
    fig, axes = plt.subplots(1, 3, figsize=(12, 3))
    for ax, column in zip(axes, ["agreement_rate", "entropy", "soft_score"]):
        ax.hist(pairs[column].dropna(), bins=np.linspace(0, 1, 11))
        ax.set_title(column)
        ax.set_xlabel(column)
    plt.tight_layout()
    plt.show()
'''

KAPPA = '''\
summary = table("agreement_summary")
if summary is not None:
    latest_summary = con.sql("SELECT * FROM agreement_summary ORDER BY computed_at DESC LIMIT 1").df()
    if len(latest_summary):
        row = latest_summary.iloc[0]
        print(f"run {row['run_id']}: {row['n_pairs']} pairs, {row['n_judgments']} judgments")
        display(pd.DataFrame(list(row["metrics"])))         # Fleiss' kappa, Krippendorff's alpha (+ bootstrap CI)
        if len(row["cohen_kappa"]):
            display(pd.DataFrame(list(row["cohen_kappa"])))  # Cohen's kappa per pair of raters
'''

TRL = '''\
import os
from pathlib import Path

import datasets
from deltalake import DeltaTable

LAKEHOUSE = Path(os.environ.get("REFINERY_LAKEHOUSE", "lakehouse")).resolve()
if not LAKEHOUSE.exists() and Path("../lakehouse").exists():
    LAKEHOUSE = Path("../lakehouse").resolve()
path = LAKEHOUSE / "dpo_train"
available = (path / "_delta_log").is_dir()
if not available:
    print(f"skipped: dpo_train does not exist yet in {LAKEHOUSE} (run the export stage)")
'''

TRL_LOAD = '''\
if available:
    table = DeltaTable(str(path))
    # Pin the version you train on: DeltaTable(path, version=v) reads exactly these rows again later.
    version = table.version()
    frame = table.to_pandas(columns=["prompt", "chosen", "rejected", "split", "weight"])
    splits = {
        name: datasets.Dataset.from_pandas(part.drop(columns="split").reset_index(drop=True), preserve_index=False)
        for name, part in frame.groupby("split")
    }
    dpo = datasets.DatasetDict(splits)
    print(f"dpo_train@v{version}:", dpo)
    assert {"prompt", "chosen", "rejected"} <= set(next(iter(dpo.values())).column_names)
    print(next(iter(dpo.values()))[0])
'''

TRL_CONV = '''\
if available:
    # The conversational format: lists of {role, content} messages, renamed to TRL's column names.
    conv = table.to_pandas(columns=["prompt_messages", "chosen_messages", "rejected_messages"]).rename(
        columns={"prompt_messages": "prompt", "chosen_messages": "chosen", "rejected_messages": "rejected"})
    conv["prompt"] = conv["prompt"].map(list)
    conv["chosen"] = conv["chosen"].map(list)
    conv["rejected"] = conv["rejected"].map(list)
    conversational = datasets.Dataset.from_pandas(conv, preserve_index=False)
    print(conversational)
    print(conversational[0]["chosen"])
'''

TRL_TRAIN = '''\
# With TRL installed (not needed to run this notebook):
#   from trl import DPOConfig, DPOTrainer
#   trainer = DPOTrainer(model=model, args=DPOConfig(output_dir="dpo"), train_dataset=dpo["train"],
#                        processing_class=tokenizer)
#   trainer.train()
'''


def explore():
    return new_notebook(cells=[
        new_markdown_cell("# Refinery: explore the lakehouse\n\nThe pipeline's Delta tables read with "
                          "[delta-rs](https://delta-io.github.io/delta-rs/) (`deltalake`) and queried with DuckDB, "
                          "no Spark. Every section is skipped when its table has not been produced yet. Set "
                          "`REFINERY_LAKEHOUSE` to the lakehouse folder (default `./lakehouse`)."),
        new_code_cell(SETUP),
        new_markdown_cell("## Funnel: rows kept per stage (latest run, from `pipeline_runs`)"),
        new_code_cell(FUNNEL),
        new_markdown_cell(QUALITY_TITLE),
        new_code_cell(QUALITY),
        new_markdown_cell("## Perplexity histogram with the bucket cut-offs (`scored_documents`)"),
        new_code_cell(PERPLEXITY),
        new_markdown_cell("## Dedup cluster sizes (`dedup_clusters`)"),
        new_code_cell(DEDUP),
        new_markdown_cell("## Agreement distributions (`agreement`)"),
        new_code_cell(AGREEMENT),
        new_markdown_cell("## Kappa and alpha (`agreement_summary`)"),
        new_code_cell(KAPPA),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def trl_dataset():
    return new_notebook(cells=[
        new_markdown_cell("# Load `dpo_train` as a TRL user would\n\nDelta (delta-rs) -> pandas -> "
                          "`datasets.Dataset`, in TRL's standard (`prompt`, `chosen`, `rejected` strings) and "
                          "conversational (lists of messages) formats. Skipped when `dpo_train` does not exist."),
        new_code_cell(TRL),
        new_code_cell(TRL_LOAD),
        new_code_cell(TRL_CONV),
        new_code_cell(TRL_TRAIN),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


if __name__ == "__main__":
    nbformat.write(explore(), ROOT / "notebooks" / "explore.ipynb")
    nbformat.write(trl_dataset(), ROOT / "notebooks" / "trl_dataset.ipynb")
    print("wrote notebooks/explore.ipynb and notebooks/trl_dataset.ipynb")
