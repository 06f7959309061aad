"""Reference all-MiniLM-L6-v2 sentence embeddings, computed the way sentence-transformers does.

Usage: minilm_reference.py MODEL_DIR TEXTS_JSON  ->  prints a JSON list of 384-float lists.

HuggingFace `tokenizers` (Rust, the same library sentence-transformers uses) with truncation at 256 word
pieces, ONNX Runtime on MODEL_DIR/model.onnx, attention-masked mean pooling of the last hidden state, then
L2 normalisation (sentence-transformers' Normalize module). No torch needed.
"""
import json
import sys

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer


def main() -> None:
    model_dir, texts_file = sys.argv[1], sys.argv[2]
    with open(texts_file, encoding="utf-8") as f:
        texts = json.load(f)
    tokenizer = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    tokenizer.enable_truncation(max_length=256)
    tokenizer.no_padding()
    session = ort.InferenceSession(f"{model_dir}/model.onnx", providers=["CPUExecutionProvider"])
    out = []
    for text in texts:
        enc = tokenizer.encode(text)
        ids = np.array([enc.ids], dtype=np.int64)
        mask = np.array([enc.attention_mask], dtype=np.int64)
        types = np.array([enc.type_ids], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        pooled = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        out.append([float(x) for x in pooled[0]])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
