"""Loads an exported preference table the way a TRL user would: delta-rs -> pandas -> datasets.Dataset.

Usage: load_trl.py TABLE_PATH
Prints JSON: row count, features, per-split counts, the first train row in both TRL formats, and whether the
conversational columns have the {role, content} shape TRL's chat templates expect.
"""
import json
import sys

from datasets import Dataset
from deltalake import DeltaTable


def main(path):
    table = DeltaTable(path)
    frame = table.to_pandas()
    data = Dataset.from_pandas(frame, preserve_index=False)
    train = data.filter(lambda row: row["split"] == "train")
    test = data.filter(lambda row: row["split"] == "test")
    # TRL's standard preference format: prompt/chosen/rejected strings.
    standard = train.select_columns(["prompt", "chosen", "rejected"])
    # TRL's conversational format: the same names, holding lists of {role, content}.
    conversational = train.select_columns(["prompt_messages", "chosen_messages", "rejected_messages"]) \
        .rename_columns({"prompt_messages": "prompt", "chosen_messages": "chosen", "rejected_messages": "rejected"})
    first = conversational[0] if len(conversational) else None
    shape_ok = all(
        isinstance(message, dict) and set(message) == {"role", "content"}
        for row in conversational
        for column in ("prompt", "chosen", "rejected")
        for message in row[column]
    )
    print(json.dumps({
        "version": table.version(),
        "rows": len(data),
        "train": len(train),
        "test": len(test),
        "features": {name: str(feature) for name, feature in standard.features.items()},
        "first_standard": standard[0] if len(standard) else None,
        "first_conversational": first,
        "conversational_shape_ok": shape_ok,
        "weights": sorted(set(float(w) for w in data["weight"])),
        "pair_ids": sorted(data["pair_id"]),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
