"""Compares two ARPA files entry by entry (e.g. Refinery's lm-train output with KenLM's lmplz on the same
tokenized corpus). Prints JSON: n-gram counts of each, entries only in one, and the largest absolute
differences of log10 probabilities and backoffs over the shared entries (overall and per order).

usage: compare_arpa.py A.arpa B.arpa
"""
import json
import sys


def read(path):
    entries = {}
    order = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("\\") and line.endswith("-grams:"):
                order = int(line[1:line.index("-")])
                continue
            if order == 0 or not line.strip() or line.startswith("\\"):
                continue
            fields = line.split()
            prob = float(fields[0])
            words = tuple(fields[1:1 + order])
            backoff = float(fields[1 + order]) if len(fields) > 1 + order else 0.0
            entries[words] = (prob, backoff)
    return entries


def main(a_path, b_path):
    a, b = read(a_path), read(b_path)
    shared = a.keys() & b.keys()
    out = {"a": a_path, "b": b_path, "a_entries": len(a), "b_entries": len(b), "shared": len(shared),
           "only_in_a": sorted(" ".join(k) for k in a.keys() - b.keys())[:10],
           "only_in_b": sorted(" ".join(k) for k in b.keys() - a.keys())[:10], "per_order": {}}
    for key in shared:
        n = str(len(key))
        stats = out["per_order"].setdefault(n, {"entries": 0, "max_prob_diff": 0.0, "max_backoff_diff": 0.0})
        stats["entries"] += 1
        if key == ("<s>",):
            continue  # lmplz writes 0 or -99 for <s>; it is never predicted
        stats["max_prob_diff"] = max(stats["max_prob_diff"], abs(a[key][0] - b[key][0]))
        stats["max_backoff_diff"] = max(stats["max_backoff_diff"], abs(a[key][1] - b[key][1]))
    out["max_prob_diff"] = max((s["max_prob_diff"] for s in out["per_order"].values()), default=0.0)
    out["max_backoff_diff"] = max((s["max_backoff_diff"] for s in out["per_order"].values()), default=0.0)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
