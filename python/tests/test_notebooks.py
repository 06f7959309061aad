"""The notebooks execute top to bottom with nbclient (any cell error fails the test), against the pipeline's
lakehouse (sections for missing tables are skipped) and against a copy with every table present."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import REPO

NOTEBOOKS = REPO / "notebooks"


def execute(name: str, lakehouse: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    os.environ["REFINERY_LAKEHOUSE"] = str(lakehouse)
    try:
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    finally:
        os.environ.pop("REFINERY_LAKEHOUSE", None)
    return notebook


def outputs(notebook) -> str:
    text = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text.append(output.get("text", ""))
            text.append(str(output.get("data", {}).get("text/plain", "")))
    return "\n".join(text)


def images(notebook) -> int:
    return sum("image/png" in o.get("data", {}) for c in notebook.cells for o in c.get("outputs", []))


@pytest.mark.parametrize("name", ["explore.ipynb", "trl_dataset.ipynb"])
def test_notebooks_are_committed_without_outputs(name):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")


def test_explore_on_the_pipeline_lakehouse(lakehouse):
    notebook = execute("explore.ipynb", lakehouse)
    text = outputs(notebook)
    assert "ingest" in text
    assert images(notebook) >= 1
    for table in ("document_signals", "scored_documents", "dedup_clusters", "agreement", "agreement_summary"):
        if not (lakehouse / table / "_delta_log").is_dir():
            assert f"skipped: table {table} does not exist yet" in text


def test_explore_with_every_table(filled_lakehouse):
    notebook = execute("explore.ipynb", filled_lakehouse)
    text = outputs(notebook)
    assert "skipped" not in text
    assert "fleiss_kappa" in text or "alpha" in text
    assert "documents with signals" in text and "pii_email" in text
    assert images(notebook) >= 5  # funnel, signals, perplexity, dedup, agreement


def test_trl_dataset_skips_without_dpo_train(tmp_path):
    text = outputs(execute("trl_dataset.ipynb", tmp_path))
    assert "skipped: dpo_train does not exist yet" in text


def test_trl_dataset_loads_dpo_train(filled_lakehouse):
    text = outputs(execute("trl_dataset.ipynb", filled_lakehouse))
    assert "DatasetDict" in text and "'prompt', 'chosen', 'rejected'" in text.replace('"', "'")
    assert "'role': 'assistant'" in text
