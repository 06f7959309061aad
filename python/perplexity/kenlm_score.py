"""Scores sentences with the KenLM Python module: the reference for Refinery's n-gram scorer.

usage: kenlm_score.py MODEL SENTENCES [--bench]
  MODEL      an ARPA file (or KenLM binary)
  SENTENCES  a UTF-8 file, one tokenized sentence per line (tokens separated by single spaces)
Prints one line per sentence: the total log10 probability as KenLM computes it (<s> context, </s> scored).
With --bench, prints one JSON object instead: sentences, tokens (</s> included), seconds and tokens/second
of scoring (after load), and a checksum of the scores.
"""
import json
import sys
import time

import kenlm


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    model = kenlm.Model(argv[1])
    with open(argv[2], encoding="utf-8") as f:
        sentences = [line.rstrip("\n") for line in f]
    if len(argv) > 3 and argv[3] == "--bench":
        tokens = sum(len(s.split()) + 1 for s in sentences)
        best = None
        total = 0.0
        for _ in range(3):
            start = time.perf_counter()
            total = 0.0
            for s in sentences:
                total += model.score(s, bos=True, eos=True)
            elapsed = time.perf_counter() - start
            best = elapsed if best is None else min(best, elapsed)
        print(json.dumps({"sentences": len(sentences), "tokens": tokens, "seconds": best,
                          "tokens_per_second": tokens / best, "checksum": total}))
        return 0
    out = sys.stdout
    for s in sentences:
        out.write(repr(model.score(s, bos=True, eos=True)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
