"""Reference ROUGE-L for RougeLTest: reads JSON lines [target, prediction], prints one F-measure per line.

Uses the rouge-score package with its default tokenizer and no stemming, as Self-Instruct does.
"""
import json
import sys

from rouge_score import rouge_scorer


def main(path):
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            target, prediction = json.loads(line)
            print(repr(scorer.score(target, prediction)["rougeL"].fmeasure))


if __name__ == "__main__":
    main(sys.argv[1])
