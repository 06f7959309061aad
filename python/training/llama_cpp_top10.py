"""Next-token top-10 of SmolLM2 under llama.cpp (llama-cpp-python), for the port's faithfulness check.

Usage: llama_cpp_top10.py GGUF PROMPTS_JSON
PROMPTS_JSON: a JSON list of token-id lists (the port's tokenisation, so both sides see identical input).
Prints JSON: one {"ids": [...10], "probs": [...10]} per prompt, from a full softmax over llama.cpp's logits.
"""
import json
import sys

import numpy as np
from llama_cpp import Llama


def main(gguf, prompts_path):
    with open(prompts_path) as f:
        prompts = json.load(f)
    llm = Llama(model_path=gguf, n_ctx=512, logits_all=True, verbose=False, n_threads=2, seed=1)
    out = []
    for ids in prompts:
        llm.reset()
        llm.eval(ids)
        logits = np.array(llm.scores[len(ids) - 1], dtype=np.float64)
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        top = np.argsort(-probs)[:10]
        out.append({"ids": [int(i) for i in top], "probs": [float(probs[i]) for i in top]})
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
