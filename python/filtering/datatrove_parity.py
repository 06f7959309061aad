"""Parity of Refinery's quality presets with datatrove's filters (benchmarks/filtering/parity).

Reads the JSON lines SignalsExport wrote (id, source, text, Refinery's keep/drop and first failing rule per preset,
signals), runs datatrove's GopherQualityFilter + GopherRepetitionFilter (gopher), C4QualityFilter (c4) and
FineWebQualityFilter (fineweb) at their DEFAULT parameters on the same texts, compares keep/drop per preset and
explains every disagreement.

Causes are found by replaying each datatrove filter in this file and switching datatrove's behaviour to Refinery's
one documented difference at a time, in a fixed order; a disagreement's cause is the first switch after which the
replay's decision equals Refinery's. Step 0 of each chain (no switch) must reproduce datatrove's own decision on
every document and the last step Refinery's; both checks are counted in the output, and a disagreement no chain
explains is reported as "unexplained".

Times datatrove's filters on this one process (warm-up pass, then timed passes; CPU time and wall time).

Usage: datatrove_parity.py REFINERY_JSONL REFINERY_STATS_JSON OUT_JSON COMMIT COMMAND LOAD_AVERAGE [TIMED_PASSES]
Needs only the standard library and benchmarks/filtering/requirements-datatrove.txt.
"""

import copy
import datetime
import importlib.metadata
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter

from datatrove.data import Document
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
)
from datatrove.pipeline.filters.c4_filters import CITATION_REGEX, POLICY_SUBSTRINGS
from datatrove.pipeline.filters.gopher_quality_filter import STOP_WORDS
from datatrove.utils.text import PUNCTUATION_SET, TERMINAL_PUNCTUATION, split_into_sentences, split_into_words

MAX_EXAMPLES = 20

# datatrove's reason -> Refinery's rule name (QualityPresets), to compare reasons when both drop.
REASONS = {
    "gopher_short_doc": "gopher_min_words",
    "gopher_long_doc": "gopher_max_words",
    "gopher_below_avg_threshold": "gopher_min_mean_word_length",
    "gopher_above_avg_threshold": "gopher_max_mean_word_length",
    "gopher_too_many_hashes": "gopher_max_hash_word_ratio",
    "gopher_too_many_ellipsis": "gopher_max_ellipsis_word_ratio",
    "gopher_too_many_bullets": "gopher_max_bullet_lines",
    "gopher_too_many_end_ellipsis": "gopher_max_ellipsis_lines",
    "gopher_below_alpha_threshold": "gopher_min_alpha_words",
    "gopher_enough_stop_words": "gopher_min_stop_words",
    "dup_para_frac": "gopher_max_dup_para",
    "dup_para_char_frac": "gopher_max_dup_para_chars",
    "dup_line_frac": "gopher_max_dup_line",
    "dup_line_char_frac": "gopher_max_dup_line_chars",
    **{f"top_{n}_gram": f"gopher_max_top_{n}gram" for n in (2, 3, 4)},
    **{f"duplicated_{n}_n_grams": f"gopher_max_dup_{n}gram" for n in range(5, 11)},
    "lorem_ipsum": "c4_lorem_ipsum",
    "curly_bracket": "c4_curly_bracket",
    "too_few_sentences": "c4_min_sentences",
    "empty": "empty",
    "line_punct_ratio": "fineweb_line_punct",
    "short_line_ratio": "fineweb_short_lines",
    "char_dup_ratio": "fineweb_char_dup",
    "list_ratio": "fineweb_list_ratio",
}

# Signals worth showing next to a disagreement, by the rule either side names.
RULE_SIGNALS = {
    "gopher_min_words": ["gopher_word_count"],
    "gopher_max_words": ["gopher_word_count"],
    "gopher_min_mean_word_length": ["gopher_mean_word_length"],
    "gopher_max_mean_word_length": ["gopher_mean_word_length"],
    "gopher_max_hash_word_ratio": ["gopher_hash_word_ratio"],
    "gopher_max_ellipsis_word_ratio": ["gopher_ellipsis_word_ratio"],
    "gopher_max_bullet_lines": ["gopher_bullet_lines_fraction"],
    "gopher_max_ellipsis_lines": ["gopher_ellipsis_lines_fraction"],
    "gopher_min_alpha_words": ["gopher_alpha_words_fraction"],
    "gopher_min_stop_words": ["gopher_stop_word_count"],
    "gopher_max_dup_para": ["gopher_dup_para_fraction"],
    "gopher_max_dup_para_chars": ["gopher_dup_para_char_fraction"],
    "gopher_max_dup_line": ["gopher_dup_line_fraction"],
    "gopher_max_dup_line_chars": ["gopher_dup_line_char_fraction"],
    **{f"gopher_max_top_{n}gram": [f"gopher_top_{n}gram_char_fraction"] for n in (2, 3, 4)},
    **{f"gopher_max_dup_{n}gram": [f"gopher_dup_{n}gram_char_fraction"] for n in range(5, 11)},
    "c4_lorem_ipsum": ["c4_has_lorem_ipsum"],
    "c4_curly_bracket": ["c4_has_curly_bracket"],
    "c4_min_sentences": ["c4_sentence_count"],
    "fineweb_line_punct": ["fineweb_line_punct_ratio"],
    "fineweb_short_lines": ["fineweb_short_line_ratio"],
    "fineweb_char_dup": ["fineweb_char_dup_ratio"],
    "fineweb_list_ratio": ["fineweb_list_ratio"],
    "empty": [],
}

# ---- Refinery's definitions, in Python (DocumentText, GopherQualitySignals, C4Signals, FineWebSignals) ----------


def refinery_is_symbol(ch):
    """GopherQualitySignals.isSymbol: any Unicode punctuation (P*) or symbol (S*) character."""
    return unicodedata.category(ch)[0] in "PS"


def datatrove_is_symbol(ch):
    return ch in PUNCTUATION_SET


def strip_symbols(word):
    start, end = 0, len(word)
    while start < end and refinery_is_symbol(word[start]):
        start += 1
    while end > start and refinery_is_symbol(word[end - 1]):
        end -= 1
    return word[start:end]


# Java's \s (no UNICODE_CHARACTER_CLASS) is ASCII whitespace only.
REFINERY_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=[ \t\n\x0b\f\r]|$)")


def refinery_sentences(line):
    return max(1, len(REFINERY_SENTENCE_END.findall(line)))


# ---- Gopher: datatrove's two filters replayed, with switches ------------------------------------------------------

GOPHER_STEPS = [
    ("datatrove", {}),
    ("tokenizer: whitespace words instead of spaCy tokens", {"whitespace": True}),
    ("symbol definition: Unicode P*/S* categories instead of datatrove's PUNCTUATION_SET", {"unicode_symbols": True}),
    ("duplicate n-grams compared as word sequences, not words joined without a separator", {"ngram_tuples": True}),
]


def gopher_replay(text, words_dt, flags):
    words = text.split() if flags.get("whitespace") else words_dt
    is_symbol = refinery_is_symbol if flags.get("unicode_symbols") else datatrove_is_symbol
    n_words = len(words)
    non_symbol = [w for w in words if any(not is_symbol(ch) for ch in w)]
    if len(non_symbol) < 50:
        return False, "gopher_short_doc"
    if len(non_symbol) > 100000:
        return False, "gopher_long_doc"
    avg = sum(len(w) for w in non_symbol) / len(non_symbol)
    if avg < 3:
        return False, "gopher_below_avg_threshold"
    if avg > 10:
        return False, "gopher_above_avg_threshold"
    if text.count("#") / n_words > 0.1:
        return False, "gopher_too_many_hashes"
    if (text.count("...") + text.count("…")) / n_words > 0.1:
        return False, "gopher_too_many_ellipsis"
    lines = text.splitlines()
    if sum(s.lstrip().startswith("•") or s.lstrip().startswith("-") for s in lines) / len(lines) > 0.9:
        return False, "gopher_too_many_bullets"
    if sum(s.rstrip().endswith("...") or s.rstrip().endswith("…") for s in lines) / len(lines) > 0.3:
        return False, "gopher_too_many_end_ellipsis"
    if sum(any(c.isalpha() for c in w) for w in words) / n_words < 0.8:
        return False, "gopher_below_alpha_threshold"
    # Distinct stop words on both sides; whitespace words carry their punctuation, which Refinery strips first.
    candidates = {strip_symbols(w) for w in words} if flags.get("whitespace") else set(words)
    stops = len(set(STOP_WORDS).intersection(candidates))
    if stops < 2:
        return False, "gopher_enough_stop_words"
    # repetition
    paragraphs = re.split(r"\n{2,}", text.strip())
    dup, chars = find_duplicates(paragraphs)
    if dup / len(paragraphs) > 0.3:
        return False, "dup_para_frac"
    if chars / len(text) > 0.2:
        return False, "dup_para_char_frac"
    lines = re.split("\n+", text)
    dup, chars = find_duplicates(lines)
    if dup / len(lines) > 0.3:
        return False, "dup_line_frac"
    if chars / len(text) > 0.2:
        return False, "dup_line_char_frac"
    for n, frac in ((2, 0.2), (3, 0.18), (4, 0.16)):
        grams = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
        if grams:
            gram, count = Counter(grams).most_common(1)[0]
            if len(gram) * count / len(text) > frac:
                return False, f"top_{n}_gram"
    for n, frac in ((5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)):
        seen, repeated, i = set(), 0, 0
        while i < len(words) - n + 1:
            gram = tuple(words[i : i + n]) if flags.get("ngram_tuples") else "".join(words[i : i + n])
            if gram in seen:
                repeated += sum(len(w) for w in words[i : i + n])
                i += n
            else:
                seen.add(gram)
                i += 1
        if repeated / len(text) > frac:
            return False, f"duplicated_{n}_n_grams"
    return True, None


def find_duplicates(elements):
    seen, dup, chars = set(), 0, 0
    for e in elements:
        if e in seen:
            dup += 1
            chars += len(e)
        else:
            seen.add(e)
    return dup, chars


# ---- C4 ----------------------------------------------------------------------------------------------------------

C4_STEPS = [
    ("datatrove", {}),
    ("C4 line removal: lorem ipsum and '{' checked over the whole text, not only lines C4 keeps", {"whole_text": True}),
    ("sentence counting: Refinery's punctuation rule instead of spaCy's sentencizer", {"rule_sentences": True}),
]


def c4_replay(text, flags):
    if flags.get("whole_text"):
        if "lorem ipsum" in text.lower():
            return False, "lorem_ipsum"
        if "{" in text:
            return False, "curly_bracket"
    sentences = 0
    for line in text.splitlines():
        line = line.strip()
        words = line.split()
        if any(len(w) > 1000 for w in words):
            continue
        line = CITATION_REGEX.sub("", line)
        if not line.endswith((".", "?", "!", '"', "'")) or line.endswith("..."):
            continue
        if len(words) < 3:
            continue
        low = line.lower()
        if "lorem ipsum" in low:
            return False, "lorem_ipsum"
        if "javascript" in low:
            continue
        if "{" in line:
            return False, "curly_bracket"
        if any(p in low for p in POLICY_SUBSTRINGS):
            continue
        sentences += refinery_sentences(line) if flags.get("rule_sentences") else len(split_into_sentences(line))
    if sentences < 5:
        return False, "too_few_sentences"
    return True, None


# ---- FineWeb -----------------------------------------------------------------------------------------------------

FINEWEB_STEPS = [
    ("datatrove", {}),
    ("tokenizer: list ratio divides by whitespace words instead of spaCy tokens", {"whitespace": True}),
]


def fineweb_replay(text, words_dt, flags):
    lines = text.split("\n")
    if not flags.get("all_lines"):
        lines = [line for line in lines if line.strip() != ""]
        if not lines:
            return False, "empty"
    stop = (".", "'", '"', "!", "?") if flags.get("five_stop_chars") else tuple(TERMINAL_PUNCTUATION)
    strict = flags.get("strict")
    ratio = sum(1 for line in lines if line.endswith(stop)) / len(lines)
    if ratio <= 0.12 if strict else ratio < 0.12:
        return False, "line_punct_ratio"
    ratio = sum(1 for line in lines if len(line) <= 30) / len(lines)
    if ratio >= 0.67 if strict else ratio > 0.67:
        return False, "short_line_ratio"
    nonblank = [line for line in lines if line.strip() != ""]
    denominator = len(text.replace("\n", ""))
    ratio = find_duplicates(nonblank)[1] / denominator if denominator else 0.0
    if ratio >= 0.01 if strict else ratio > 0.01:
        return False, "char_dup_ratio"
    words = text.split() if flags.get("whitespace") else words_dt
    if not words:  # datatrove divides by zero here; Refinery's ratio is 0.0 (unreachable: a kept line has words)
        return True, None
    if text.count("\n") / len(words) > 0.3:
        return False, "list_ratio"
    return True, None


# ---- running datatrove --------------------------------------------------------------------------------------------


def datatrove_filters():
    return {
        "gopher": [GopherQualityFilter(), GopherRepetitionFilter()],
        "c4": [C4QualityFilter()],
        "fineweb": [FineWebQualityFilter()],
    }


def run_chain(filters, doc):
    for f in filters:
        result = f.filter(doc)
        keep, reason = (result if isinstance(result, tuple) else (result, None))
        if not keep:
            return False, reason
    return True, None


def datatrove_decide(filters, text, index):
    out = {}
    for preset, chain in filters.items():
        doc = Document(text=text, id=str(index))  # fresh per preset: C4 rewrites doc.text
        try:
            out[preset] = run_chain(chain, doc)
        except ZeroDivisionError as e:  # e.g. FineWeb's list ratio on a text with no words
            out[preset] = (False, f"error:{type(e).__name__}")
    return out


def time_datatrove(texts, passes):
    filters = datatrove_filters()
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(texts)]

    def one_pass():
        kept = 0
        for d in docs:
            for chain in filters.values():
                doc = copy.copy(d)
                try:
                    kept += run_chain(chain, doc)[0]
                except ZeroDivisionError:
                    pass
        return kept

    one_pass()  # warm-up (spaCy's tokenizer is built lazily on first use)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(passes):
        one_pass()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = len(texts) * passes
    return {
        "threads": 1,
        "warmup_passes": 1,
        "timed_passes": passes,
        "documents_per_pass": len(texts),
        "timed_cpu_seconds": round(cpu, 4),
        "timed_wall_seconds": round(wall, 4),
        "docs_per_s_per_core_cpu": round(n / cpu, 1),
        "docs_per_s_wall": round(n / wall, 1),
    }


def language_filter_status():
    """datatrove's LanguageFilter loads a fastText model (lid.176.bin / GlotLID) from the Hugging Face Hub at
    run time; nothing outside PyPI is fetched here, so it is only tried with the Hub offline."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        from datatrove.pipeline.filters import LanguageFilter

        f = LanguageFilter()
        f.filter(Document(text="This is an English sentence for a language check.", id="x"))
        return {"ran": True}
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        return {
            "ran": False,
            "why": "datatrove's LanguageFilter needs the fasttext package (extra 'processing') and a fastText model "
            "downloaded from the Hugging Face Hub at run time; this harness fetches nothing from outside PyPI.",
            "error": f"{type(e).__name__}: {str(e)[:300]}",
        }


def main():
    jsonl, stats_path, out_path, commit, command, load_average = sys.argv[1:7]
    passes = int(sys.argv[7]) if len(sys.argv) > 7 else 3
    rows = [json.loads(line) for line in open(jsonl, encoding="utf-8")]
    stats = json.load(open(stats_path, encoding="utf-8"))
    filters = datatrove_filters()

    presets = ["gopher", "c4", "fineweb"]
    steps = {"gopher": GOPHER_STEPS, "c4": C4_STEPS, "fineweb": FINEWEB_STEPS}
    result = {p: {"agree": 0, "confusion": Counter(), "same_reason_when_both_drop": 0, "both_drop": 0,
                  "causes": {}, "disagreements": [], "replay_step0_matches_datatrove": 0,
                  "replay_last_step_matches_refinery": 0, "reasons_datatrove": Counter(),
                  "reasons_refinery": Counter()} for p in presets}
    for i, row in enumerate(rows):
        text = row["text"]
        dt = datatrove_decide(filters, text, i)
        words_dt = split_into_words(text)
        for p in presets:
            r = result[p]
            ref_keep, ref_reason = row["refinery"][p]["keep"], row["refinery"][p]["reason"]
            dt_keep, dt_reason = dt[p]
            r["reasons_datatrove"][dt_reason or "kept"] += 1
            r["reasons_refinery"][ref_reason or "kept"] += 1
            # replay chain
            decisions, flags = [], {}
            for _, switch in steps[p]:
                flags = {**flags, **switch}  # switches accumulate: step k has switches 1..k on
                if p == "gopher":
                    decisions.append(gopher_replay(text, words_dt, flags))
                elif p == "c4":
                    decisions.append(c4_replay(text, flags))
                else:
                    decisions.append(fineweb_replay(text, words_dt, flags))
            r["replay_step0_matches_datatrove"] += decisions[0][0] == dt_keep
            r["replay_last_step_matches_refinery"] += decisions[-1][0] == ref_keep
            if ref_keep and dt_keep:
                r["confusion"]["both_keep"] += 1
            elif not ref_keep and not dt_keep:
                r["confusion"]["both_drop"] += 1
                r["both_drop"] += 1
                r["same_reason_when_both_drop"] += REASONS.get(dt_reason) == ref_reason
            elif not ref_keep:
                r["confusion"]["only_refinery_drops"] += 1
            else:
                r["confusion"]["only_datatrove_drops"] += 1
            if ref_keep == dt_keep:
                r["agree"] += 1
                continue
            cause = "unexplained"
            if decisions[0][0] == dt_keep:
                for (name, _), d in zip(steps[p][1:], decisions[1:]):
                    if d[0] == ref_keep:
                        cause = name
                        break
            shown = RULE_SIGNALS.get(ref_reason or "", []) + RULE_SIGNALS.get(REASONS.get(dt_reason, ""), [])
            r["causes"].setdefault(cause, []).append(row["id"])
            r["disagreements"].append({
                "id": row["id"],
                "refinery": ref_reason or "kept",
                "datatrove": dt_reason or "kept",
                "cause": cause,
                "signals": {k: row["signals"][k] for k in dict.fromkeys(shown)},
                "replay": [d[1] or "kept" for d in decisions],
            })

    n = len(rows)
    out = {
        "benchmark": "datatrove-parity",
        "commit": commit,
        "date": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
        "command": command,
        "cores": os.cpu_count(),
        "load_average_at_start": float(load_average),
        "datatrove_version": importlib.metadata.version("datatrove"),
        "spacy_version": importlib.metadata.version("spacy"),
        "datatrove_english_word_tokenizer": "SpaCyTokenizer('en'): spacy.blank('en') + sentencizer (rule-based, "
        "no model or NLTK data download)",
        "documents": n,
        "sources": stats["sources"],
        "presets": {},
    }
    for p in presets:
        r = result[p]
        out["presets"][p] = {
            "agreement_pct": round(100 * r["agree"] / n, 2),
            "agree": r["agree"],
            "confusion": {k: r["confusion"].get(k, 0) for k in
                          ("both_keep", "both_drop", "only_refinery_drops", "only_datatrove_drops")},
            "same_reason_when_both_drop": f"{r['same_reason_when_both_drop']}/{r['both_drop']}",
            "replay_step0_matches_datatrove": f"{r['replay_step0_matches_datatrove']}/{n}",
            "replay_last_step_matches_refinery": f"{r['replay_last_step_matches_refinery']}/{n}",
            "replay_steps": [name for name, _ in steps[p]],
            "disagreement_causes": {c: {"count": len(ids), "examples": ids[:MAX_EXAMPLES]}
                                    for c, ids in sorted(r["causes"].items(), key=lambda kv: -len(kv[1]))},
            "reasons_refinery": dict(r["reasons_refinery"].most_common()),
            "reasons_datatrove": dict(r["reasons_datatrove"].most_common()),
            "disagreements": r["disagreements"],
        }
    texts = [row["text"] for row in rows]
    dt_speed = time_datatrove(texts, passes)
    ref_speed = stats["signals_and_filter"]
    out["throughput"] = {
        "what": "all three presets on every document, one thread: Refinery = DocumentSignals.compute + the presets' "
        "rules; datatrove = GopherQuality+GopherRepetition, C4Quality, FineWebQuality filters",
        "refinery": ref_speed,
        "datatrove": dt_speed,
        "refinery_over_datatrove_cpu": round(ref_speed["docs_per_s_per_core_cpu"] / dt_speed["docs_per_s_per_core_cpu"],
                                             2),
        "refinery_over_datatrove_wall": round(ref_speed["docs_per_s_wall"] / dt_speed["docs_per_s_wall"], 2),
    }
    out["language_id"] = {"refinery": stats["language_id"], "datatrove": language_filter_status()}
    text = json.dumps(out, indent=2, ensure_ascii=False)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
