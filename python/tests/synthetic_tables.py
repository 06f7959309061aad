"""Small, schema-true stand-ins for the tables of stages that may not exist on a branch yet.

fill_missing(lakehouse) writes scored_documents, dedup_clusters, agreement, agreement_summary, training_runs
and dpo_train (column names and types as in core's *Schemas.java) with delta-rs, but only where the lakehouse
does not have the table, so a lakehouse made by the real stages is never touched. The report and notebook tests
use it to check that every section renders with data, whichever stages have landed.
"""
from __future__ import annotations

import math
import random
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
from deltalake import write_deltalake

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
TS = pa.timestamp("us", tz="UTC")
MESSAGE = pa.struct([("role", pa.string()), ("content", pa.string())])


def _exists(lakehouse: Path, name: str) -> bool:
    return (lakehouse / name / "_delta_log").is_dir()


def _write(lakehouse: Path, name: str, table: pa.Table, written: list[str]) -> None:
    if not _exists(lakehouse, name):
        write_deltalake(str(lakehouse / name), table)
        written.append(name)


def fill_missing(lakehouse: Path, run_id: str = "synthetic-run") -> list[str]:
    rng = random.Random(7)
    written: list[str] = []
    n = 300
    ppl = [math.exp(rng.gauss(6.5, 1.0)) for _ in range(n)]
    cut_head, cut_tail = sorted(ppl)[int(0.3 * n)], sorted(ppl)[int(0.6 * n)]
    bucket = ["head" if p < cut_head else "middle" if p < cut_tail else "tail" for p in ppl]
    _write(lakehouse, "scored_documents", pa.table({
        "doc_id": [f"d{i:04d}" for i in range(n)],
        "log10_prob": [-math.log10(p) * 100 for p in ppl],
        "n_tokens": pa.array([100] * n, pa.int32()),
        "n_oov": pa.array([rng.randint(0, 5) for _ in range(n)], pa.int32()),
        "perplexity": ppl,
        "bucket": bucket,
        "kept": [b != "tail" for b in bucket],
        "drop_reason": [None if b != "tail" else "bucket_tail" for b in bucket],
        "model_id": ["lm-1"] * n,
        "run_id": [run_id] * n,
    }), written)

    rows = {"doc_id": [], "method": [], "cluster_id": [], "representative": [], "similarity": [], "cluster_size": [],
            "run_id": []}
    doc = 0
    for method, clusters in (("exact", 12), ("minhash", 20), ("semantic", 8)):
        for c in range(clusters):
            size = rng.choice([2, 2, 2, 3, 3, 4, 6, 13])
            members = [f"d{doc + k:04d}" for k in range(size)]
            doc += size
            for m in members:
                rows["doc_id"].append(m)
                rows["method"].append(method)
                rows["cluster_id"].append(f"{method}-{c}")
                rows["representative"].append(members[0])
                rows["similarity"].append(1.0 if m == members[0] else round(rng.uniform(0.8, 1.0), 3))
                rows["cluster_size"].append(size)
                rows["run_id"].append(run_id)
    _write(lakehouse, "dedup_clusters", pa.table(rows), written)

    pairs = 120
    n_raters = [rng.choice([2, 3, 3, 4]) for _ in range(pairs)]
    n_a = [rng.randint(0, r) for r in n_raters]
    n_b = [rng.randint(0, r - a) for r, a in zip(n_raters, n_a)]
    n_tie = [r - a - b for r, a, b in zip(n_raters, n_a, n_b)]
    labels = ["A" if a > b else "B" if b > a else "tie" for a, b in zip(n_a, n_b)]
    rate = [max(a, b, t) / r for a, b, t, r in zip(n_a, n_b, n_tie, n_raters)]
    kept = [lab == "A" and rt >= 0.6 for lab, rt in zip(labels, rate)]
    reason = [None if k else ("tie" if lab == "tie" else "prefers-rejected" if lab == "B" else "low-agreement")
              for k, lab in zip(kept, labels)]

    def entropy(counts, total):
        ps = [c / total for c in counts if c]
        return -sum(p * math.log(p) for p in ps) / math.log(3)

    _write(lakehouse, "agreement", pa.table({
        "pair_id": [f"p{i:04d}" for i in range(pairs)],
        "n_raters": pa.array(n_raters, pa.int32()),
        "n_a": pa.array(n_a, pa.int32()), "n_b": pa.array(n_b, pa.int32()), "n_tie": pa.array(n_tie, pa.int32()),
        "aggregated_label": labels,
        "agreement_rate": rate,
        "entropy": [entropy((a, b, t), r) for a, b, t, r in zip(n_a, n_b, n_tie, n_raters)],
        "soft_score": [(a + 0.5 * t) / r for a, t, r in zip(n_a, n_tie, n_raters)],
        "ds_label": labels, "ds_p_a": [0.5] * pairs, "ds_p_tie": [0.2] * pairs, "ds_p_b": [0.3] * pairs,
        "kept": kept, "reason": reason, "weight": [1.0] * pairs,
        "run_id": [run_id] * pairs, "computed_at": pa.array([NOW] * pairs, TS),
    }), written)

    metric = pa.struct([("metric", pa.string()), ("value", pa.float64()), ("ci_lower", pa.float64()),
                        ("ci_upper", pa.float64())])
    cohen = pa.struct([("rater_a", pa.string()), ("rater_b", pa.string()), ("n", pa.int64()),
                       ("kappa", pa.float64()), ("kappa_linear", pa.float64()), ("kappa_quadratic", pa.float64()),
                       ("ci_lower", pa.float64()), ("ci_upper", pa.float64())])
    _write(lakehouse, "agreement_summary", pa.table({
        "run_id": [run_id], "n_pairs": [pairs], "n_judgments": [sum(n_raters)],
        "raters": [["judge-AB", "judge-BA", "human"]], "labels": [["A", "tie", "B"]],
        "bootstrap_resamples": pa.array([200], pa.int32()), "confidence_level": [0.95],
        "metrics": pa.array([[{"metric": "fleiss_kappa", "value": 0.41, "ci_lower": 0.33, "ci_upper": 0.49},
                              {"metric": "alpha_nominal", "value": 0.40, "ci_lower": 0.31, "ci_upper": 0.48},
                              {"metric": "alpha_ordinal", "value": 0.52, "ci_lower": 0.44, "ci_upper": 0.60}]],
                            pa.list_(metric)),
        "cohen_kappa": pa.array([[{"rater_a": "judge-AB", "rater_b": "human", "n": 80, "kappa": 0.45,
                                   "kappa_linear": 0.5, "kappa_quadratic": 0.55, "ci_lower": 0.3, "ci_upper": 0.6}]],
                                pa.list_(cohen)),
        "computed_at": pa.array([NOW], TS),
    }), written)

    step = pa.struct([("step", pa.int32()), ("loss", pa.float64()), ("accuracy", pa.float64()),
                      ("margin", pa.float64()), ("learning_rate", pa.float64()), ("grad_norm", pa.float64())])

    def curve(start):
        return [{"step": s, "loss": start * math.exp(-s / 15) + 0.1 * rng.random(), "accuracy": 1 - 0.5 * math.exp(-s / 10),
                 "margin": s / 20, "learning_rate": 1e-5, "grad_norm": 1.0} for s in range(1, 41)]

    _write(lakehouse, "training_runs", pa.table({
        "training_run_id": ["rm-synthetic", "dpo-synthetic"], "run_id": [run_id, run_id], "kind": ["rm", "dpo"],
        "status": ["succeeded", "succeeded"], "dataset_table": ["rm_train", "dpo_train"], "dataset_version": [0, 0],
        "hyper_parameters": pa.array([[("lr", "1e-5")], [("beta", "0.1")]], pa.map_(pa.string(), pa.string())),
        "steps": pa.array([curve(0.7), curve(0.69)], pa.list_(step)),
        "final_metrics": pa.array([[("loss", 0.2)], [("loss", 0.3)]], pa.map_(pa.string(), pa.float64())),
        "device": ["cpu", "cpu"], "duration_ms": [1000, 2000], "checkpoint_uri": ["file:/tmp/rm", "file:/tmp/dpo"],
        "started_at": pa.array([NOW, NOW], TS), "error": pa.array([None, None], pa.string()),
    }), written)

    def msgs(role, text):
        return [{"role": role, "content": text}]

    k = 12
    _write(lakehouse, "dpo_train", pa.table({
        "pair_id": [f"p{i:04d}" for i in range(k)],
        "prompt": [f"Question {i}?" for i in range(k)],
        "chosen": [f"A helpful answer {i}." for i in range(k)],
        "rejected": [f"An unhelpful answer {i}." for i in range(k)],
        "prompt_messages": pa.array([msgs("user", f"Question {i}?") for i in range(k)], pa.list_(MESSAGE)),
        "chosen_messages": pa.array([msgs("assistant", f"A helpful answer {i}.") for i in range(k)], pa.list_(MESSAGE)),
        "rejected_messages": pa.array([msgs("assistant", f"An unhelpful answer {i}.") for i in range(k)],
                                      pa.list_(MESSAGE)),
        "split": ["train"] * (k - 2) + ["test"] * 2,
        "weight": [1.0] * k, "source": ["cai"] * k, "principle": pa.array([None] * k, pa.string()),
        "lineage": pa.array([[{"table": "agreement", "version": 0}]] * k,
                            pa.list_(pa.struct([("table", pa.string()), ("version", pa.int64())]))),
        "run_id": [run_id] * k,
    }), written)
    return written
