"""Dequantises raw ggml blocks with the gguf package (ggml's reference, ported to numpy).

Usage: dequantize.py TYPE BLOCKS_FILE   (TYPE: a GGMLQuantizationType name such as Q4_K)
Prints the floats as a JSON list.
"""
import json
import sys

import numpy as np
from gguf import GGMLQuantizationType
from gguf.quants import dequantize


def main(type_name, path):
    qtype = GGMLQuantizationType[type_name]
    raw = np.fromfile(path, dtype=np.uint8)
    values = dequantize(raw, qtype).astype(np.float64).ravel()
    print(json.dumps(values.tolist()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
