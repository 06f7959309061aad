"""The port's logits against transformers loading the same GGUF (dequantised to float32), on the same token ids.

Usage: transformers_logits.py DUMP_DIR [--tolerance 1e-3] [--threads N]
DUMP_DIR: what LogitsDumpBench wrote (logits.json + logits.f32); the GGUF path in logits.json is relative to the
current directory (the repository root). Prints one JSON object: over the 20 prompts, the largest absolute logit
difference overall, at the last positions and at every position (for the prompts dumped with all positions), top-1
and top-10 agreement at the last position, and whether the largest difference is within the tolerance; the same for
the long sequence (the 20 prompts end to end, every position); and the per-prompt figures.
Needs the benchmark environment .venv-torch (python/training/install-torch.sh), not the CI one.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
from transformers import AutoModelForCausalLM


def load_reference(gguf, threads):
    torch.set_num_threads(threads)
    directory, name = os.path.split(os.path.abspath(gguf))
    model = AutoModelForCausalLM.from_pretrained(directory, gguf_file=name, dtype=torch.float32)
    model.eval()
    return model


def compare(dump_dir, tolerance, threads):
    with open(os.path.join(dump_dir, "logits.json")) as f:
        header = json.load(f)
    vocab = header["vocab"]
    ours = np.fromfile(os.path.join(dump_dir, header["data"]), dtype="<f4").reshape(header["rows"], vocab)
    model = load_reference(header["gguf"], threads)
    per_prompt = []
    for entry in header["prompts"]:
        ids = torch.tensor([entry["ids"]], dtype=torch.long)
        with torch.no_grad():
            theirs = model(input_ids=ids).logits[0].double().numpy()
        if not entry["all_positions"]:
            theirs = theirs[-1:]
        mine = ours[entry["first_row"]:entry["first_row"] + entry["rows"]].astype(np.float64)
        diff = np.abs(mine - theirs)
        top_mine = np.argsort(-mine[-1])[:10]
        top_theirs = np.argsort(-theirs[-1])[:10]
        per_prompt.append({
            "long": entry.get("long", False),
            "all_positions": entry["all_positions"],
            "tokens": len(entry["ids"]),
            "positions_compared": int(mine.shape[0]),
            "max_abs_logit_diff": float(diff.max()),
            "max_abs_logit_diff_last_position": float(diff[-1].max()),
            "mean_abs_logit_diff": float(diff.mean()),
            "max_abs_logit": float(np.abs(theirs).max()),
            "top1_same": bool(top_mine[0] == top_theirs[0]),
            "top10_same_order": bool((top_mine == top_theirs).all()),
            "top10_overlap": len(set(top_mine.tolist()) & set(top_theirs.tolist())),
        })
    long = [p for p in per_prompt if p["long"]]
    per_prompt = [p for p in per_prompt if not p["long"]]
    overall = max(p["max_abs_logit_diff"] for p in per_prompt)
    all_positions = [p for p in per_prompt if p["all_positions"]]
    long_summary = None
    if long:
        long_summary = {key: long[0][key] for key in ("tokens", "max_abs_logit_diff", "mean_abs_logit_diff",
                                                      "max_abs_logit_diff_last_position", "top1_same")}
        long_summary["within_tolerance"] = bool(long[0]["max_abs_logit_diff"] <= tolerance)
    return {
        "reference": "transformers %s, torch %s, AutoModelForCausalLM.from_pretrained(gguf_file=...), float32"
                     % (__import__("transformers").__version__, torch.__version__),
        "gguf": header["gguf"],
        "prompts": len(per_prompt),
        "prompts_with_all_positions": len(all_positions),
        "positions_compared": sum(p["positions_compared"] for p in per_prompt),
        "max_abs_logit_diff": overall,
        "max_abs_logit_diff_last_positions": max(p["max_abs_logit_diff_last_position"] for p in per_prompt),
        "max_abs_logit_diff_all_positions": max((p["max_abs_logit_diff"] for p in all_positions), default=None),
        "mean_abs_logit_diff": float(np.mean([p["mean_abs_logit_diff"] for p in per_prompt])),
        "top1_agreement": sum(p["top1_same"] for p in per_prompt),
        "top10_same_order": sum(p["top10_same_order"] for p in per_prompt),
        "mean_top10_overlap": float(np.mean([p["top10_overlap"] for p in per_prompt])),
        "tolerance": tolerance,
        "within_tolerance": bool(overall <= tolerance),
        "long_sequence_all_positions": long_summary,
        "per_prompt": per_prompt,
    }


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("dump_dir")
    parser.add_argument("--tolerance", type=float, default=1e-3)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "1")))
    args = parser.parse_args(argv)
    print(json.dumps(compare(args.dump_dir, args.tolerance, args.threads)))


if __name__ == "__main__":
    main(sys.argv[1:])
