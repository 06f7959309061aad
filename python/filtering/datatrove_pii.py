"""datatrove's PII formatter on the PII labelled set, side by side with Refinery's PiiDetector (benchmarks/pii/run).

datatrove 0.10.1's PIIFormatter (datatrove.pipeline.formatters.PIIFormatter) only rewrites text: format() runs
its email regex through re.sub (every match replaced, no validator), then its IPv4 regex through re.sub on the
email-replaced text (a match is replaced only when ipaddress.ip_address(match).is_global, the default
only_remove_public_ips=True). It exposes no spans, so this script recovers them from the formatter's own compiled
regexes, applied exactly as format() applies them: finditer walks matches the way re.sub does (a match the
validator refuses is "replaced by itself" and still consumes its text), the IP regex runs on the email-replaced
text and its matches are mapped back to offsets in the original text. As a check, the recovered spans are replaced
with the formatter's own circular replacement strings and the result is compared with format() on every record
(counted in "span_recovery"). datatrove has no IPv6 regex: an IP match would count as IPV6 if it held ':', which its
IPv4 regex cannot produce, so IPV6 recall is 0.

Scoring is PiiLabelledSetTest's: a found span is a true positive when the record's labels hold the same (kind, start,
end), else a false positive of its kind; a label not found is a false negative; precision 1.0 when nothing was found,
recall 1.0 when nothing was labelled; F1 0 when precision + recall is 0. Only EMAIL, IPV4 and IPV6 are scored.

Throughput: PIIFormatter.format(text) on every record, one thread (warm-up passes, then timed passes; CPU time of
this thread and wall time).

Usage: datatrove_pii.py LABELLED_JSONL REFINERY_JSON OUT_JSON COMMIT COMMAND LOAD_AVERAGE [TIMED_PASSES]
Env: JAVA_VERSION, REFINERY_VERSION (recorded as given). Needs the standard library and datatrove.
"""

import bisect
import datetime
import importlib.metadata
import json
import os
import platform
import sys
import time
from collections import Counter

from datatrove.pipeline.formatters import PIIFormatter

KINDS = ("EMAIL", "IPV4", "IPV6")
WARMUP_PASSES = 20


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def precision(self):
        return 1.0 if self.tp + self.fp == 0 else self.tp / (self.tp + self.fp)

    def recall(self):
        return 1.0 if self.tp + self.fn == 0 else self.tp / (self.tp + self.fn)

    def f1(self):
        p, r = self.precision(), self.recall()
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def add(self, other):
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def metrics(self):
        # Java's Math.round(x * 1000) / 1000.0 (half up); Python's round() is half-even, so do it the same way.
        def r3(x):
            return int(x * 1000 + 0.5) / 1000.0

        return {"precision": r3(self.precision()), "recall": r3(self.recall()), "f1": r3(self.f1()),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


class SpanRecovery:
    """PIIFormatter.format(), step by step, keeping the spans; rebuilds format()'s output to check itself."""

    def __init__(self, formatter: PIIFormatter):
        self.f = formatter
        self.email_i = 0  # PIIReplacer._replace_i of each replacer, mirrored
        self.ip_i = 0
        self.crossing = 0  # IP matches not inside one unchanged stretch of the original (never expected)

    def find(self, text):
        spans = []
        emails = self.f.emails_replacer
        pieces, stretches = [], []  # stretches: (start in replaced text, start in original, length)
        pos = out_len = 0
        if self.f.remove_emails:
            for m in emails.regex.finditer(text):
                if emails.validator and not emails.validator(m.group(0)):
                    continue  # replaced by itself: stays part of the unchanged stretch
                stretches.append((out_len, pos, m.start() - pos))
                pieces.append(text[pos:m.start()])
                out_len += m.start() - pos
                replacement = emails.replacements[self.email_i]
                self.email_i = (self.email_i + 1) % len(emails.replacements)
                pieces.append(replacement)
                out_len += len(replacement)
                pos = m.end()
                spans.append(("EMAIL", m.start(), m.end()))
        stretches.append((out_len, pos, len(text) - pos))
        pieces.append(text[pos:])
        replaced = "".join(pieces)

        result = replaced
        if self.f.remove_ips:
            ips = self.f.ip_replacer
            starts = [s[0] for s in stretches]
            out, pos = [], 0
            for m in ips.regex.finditer(replaced):
                if ips.validator and not ips.validator(m.group(0)):
                    continue
                out.append(replaced[pos:m.start()])
                out.append(ips.replacements[self.ip_i])
                self.ip_i = (self.ip_i + 1) % len(ips.replacements)
                pos = m.end()
                k = bisect.bisect_right(starts, m.start()) - 1
                r_start, o_start, length = stretches[k]
                if m.end() > r_start + length:
                    self.crossing += 1
                kind = "IPV6" if ":" in m.group(0) else "IPV4"
                spans.append((kind, o_start + m.start() - r_start, o_start + m.end() - r_start))
            out.append(replaced[pos:])
            result = "".join(out)
        return spans, result


def score(records, found_by_id):
    tallies = {k: Tally() for k in KINDS}
    fp_by_group, records_by_group = Counter(), Counter()
    mistakes = []
    for rec in records:
        group = rec.get("planted", "unknown")
        records_by_group[group] += 1
        fp_by_group[group] += 0
        text = rec["text"]
        labels = {(s["kind"], s["start"], s["end"]) for s in rec["spans"] if s["kind"] in KINDS}
        found = set(found_by_id[rec["id"]])
        for span in found:
            if span in labels:
                tallies[span[0]].tp += 1
            else:
                tallies[span[0]].fp += 1
                fp_by_group[group] += 1
                mistakes.append(f"{rec['id']} false {span[0]} '{text[span[1]:span[2]]}'")
        for span in labels:
            if span not in found:
                tallies[span[0]].fn += 1
                mistakes.append(f"{rec['id']} missed {span[0]} '{text[span[1]:span[2]]}'")
    overall = Tally()
    for t in tallies.values():
        overall.add(t)
    hard, other = {}, {}
    for group in sorted(records_by_group):
        entry = {"records": records_by_group[group], "fp": fp_by_group[group]}
        if group.startswith("negative:"):
            hard[group[len("negative:"):]] = entry
        else:
            other[group] = entry
    return {
        "per_kind": {k: t.metrics() for k, t in tallies.items()},
        "overall": overall.metrics(),
        "false_positives_by_hard_negative_type": hard,
        "false_positives_by_other_group": other,
        "mistakes": mistakes,
    }


def throughput(records, passes):
    formatter = PIIFormatter()
    texts = [r["text"] for r in records]
    sink = 0
    for _ in range(WARMUP_PASSES):
        for t in texts:
            sink += len(formatter.format(t))
    cpu, wall = time.thread_time(), time.perf_counter()
    for _ in range(passes):
        for t in texts:
            sink += len(formatter.format(t))
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    return {
        "threads": 1, "warmup_passes": WARMUP_PASSES, "timed_passes": passes, "documents_per_pass": len(texts),
        "timed_cpu_seconds": round(cpu, 4), "timed_wall_seconds": round(wall, 4),
        "docs_per_s_per_core_cpu": round(len(texts) * passes / cpu, 1),
        "docs_per_s_wall": round(len(texts) * passes / wall, 1),
        "checksum_chars": sink,
        "what": "PIIFormatter().format(text) on every record, one thread",
    }


def composition(records):
    groups = Counter(r.get("planted", "unknown") for r in records)
    spans = Counter(s["kind"] for r in records for s in r["spans"])
    sources = Counter(r["source"].split("/")[0].split("#")[0] for r in records)
    return {
        "records": len(records),
        "records_with_no_span": sum(1 for r in records if not r["spans"]),
        "spans": sum(spans.values()),
        "spans_per_kind": dict(sorted(spans.items())),
        "records_per_planted_group": dict(sorted(groups.items())),
        "records_per_source": dict(sorted(sources.items())),
    }


def main():
    labelled, refinery_path, out_path, commit, command, load_average = sys.argv[1:7]
    passes = int(sys.argv[7]) if len(sys.argv) > 7 else 100
    records = [json.loads(line) for line in open(labelled, encoding="utf-8") if line.strip()]
    refinery = json.load(open(refinery_path, encoding="utf-8"))

    recovery = SpanRecovery(PIIFormatter())
    check = PIIFormatter()  # a second instance, its replacement cycles advancing over the same records
    found, mismatched = {}, []
    for rec in records:
        spans, rebuilt = recovery.find(rec["text"])
        found[rec["id"]] = spans
        if rebuilt != check.format(rec["text"]):
            mismatched.append(rec["id"])
    datatrove = score(records, found)
    datatrove["span_recovery"] = {
        "method": "PIIFormatter's own compiled regexes and validator applied as format() applies them (finditer = "
                  "re.sub's scan; IP regex on the email-replaced text, offsets mapped back); no span API exists",
        "records_where_rebuilt_text_equals_format": len(records) - len(mismatched),
        "records_where_it_differs": mismatched,
        "ip_matches_crossing_an_email_replacement": recovery.crossing,
    }
    datatrove["config"] = ("PIIFormatter() defaults: remove_emails=True, remove_ips=True, only_remove_public_ips=True "
                           "(an IPv4 match counts only if ipaddress says is_global); no IPv6 or other kinds")
    datatrove["throughput"] = throughput(records, passes)

    side_by_side = {}
    for kind in KINDS:
        r, d = refinery["per_kind"][kind], datatrove["per_kind"][kind]
        side_by_side[kind] = {
            "refinery": r, "datatrove": d,
            "f1_ratio_refinery_over_datatrove": round(r["f1"] / d["f1"], 3) if d["f1"] else None,
            "f1_ratio_datatrove_over_refinery": round(d["f1"] / r["f1"], 3) if r["f1"] else None,
        }
    side_by_side["OVERALL_EMAIL_IPV4_IPV6"] = {
        "refinery": refinery["overall_email_ipv4_ipv6"], "datatrove": datatrove["overall"],
    }
    rt, dt = refinery["throughput"], datatrove["throughput"]
    result = {
        "benchmark": "PII detection on the labelled set, exact-span scoring (benchmarks/pii/README.md)",
        "commit": commit,
        "date": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
        "command": command,
        "load_average_at_start": float(load_average),
        "versions": {
            "refinery": os.environ.get("REFINERY_VERSION", "unknown"),
            "java": os.environ.get("JAVA_VERSION", "unknown"),
            "datatrove": importlib.metadata.version("datatrove"),
            "python": platform.python_version(),
        },
        "labelled_set": {"path": labelled, **composition(records)},
        "side_by_side": side_by_side,
        "throughput_docs_per_s_per_core_cpu": {
            "refinery_all_7_kinds": rt["docs_per_s_per_core_cpu"],
            "datatrove_email_ipv4": dt["docs_per_s_per_core_cpu"],
            "ratio_refinery_over_datatrove": round(rt["docs_per_s_per_core_cpu"] / dt["docs_per_s_per_core_cpu"], 2),
        },
        "refinery": refinery,
        "datatrove": datatrove,
    }
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
    summary = {k: {"refinery_f1": v["refinery"]["f1"], "datatrove_f1": v["datatrove"]["f1"]}
               for k, v in side_by_side.items()}
    print(json.dumps({"out": out_path, "f1": summary, "throughput": result["throughput_docs_per_s_per_core_cpu"],
                      "span_recovery_mismatches": len(mismatched)}, indent=2))


if __name__ == "__main__":
    main()
