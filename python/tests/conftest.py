"""Shared fixtures of the ecosystem tests.

The pipeline runs once per session, through Airflow's dag.test() in local mode (fixture `dag_run`), and its
lakehouse feeds the notebook and report tests (fixture `lakehouse`). When REFINERY_TEST_LAKEHOUSE names a
lakehouse the demo already made, that one is used and dag.test() runs only the ingest stage on a small sample
(it still proves the DAG runs end to end), so CI pays for the pipeline once.

Environment: REFINERY_TEST_LAKEHOUSE (see above), REFINERY_TEST_STAGES (comma-separated stages for dag.test;
default: every available stage), CHROMIUM (the browser binary, default: chromium on PATH).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SESSION_DIR = Path(tempfile.mkdtemp(prefix="refinery-ecosystem-"))

# Airflow reads its configuration when first imported: point it at a throw-away home and SQLite database before
# any test module imports it.
os.environ.setdefault("AIRFLOW_HOME", str(SESSION_DIR / "airflow"))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(REPO / "airflow" / "dags"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{SESSION_DIR / 'airflow' / 'airflow.db'}")
os.environ.setdefault("REFINERY_HOME", str(REPO))
os.environ.setdefault("REFINERY_DRIVER_MEMORY", "2g")
SMALL_SAMPLE = REPO / "samples" / "web-sample" / "olmo-c4" / "c4-sample.02.json.gz"


def refinery(*args: str, check: bool = True, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """Runs bin/refinery; output captured as text."""
    result = subprocess.run([str(REPO / "bin" / "refinery"), *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"bin/refinery {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def available_stages() -> list[str]:
    """Stage names from `bin/refinery stages` (first column, after the header rule)."""
    out = refinery("stages").stdout.splitlines()
    start = next(i for i, line in enumerate(out) if line.startswith("---")) + 1
    return [line.split()[0] for line in out[start:] if line.strip()]


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    home = Path(os.environ["AIRFLOW_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True, capture_output=True, env=os.environ)
    return home


@pytest.fixture(scope="session")
def dag_run(airflow_db):
    """Runs the DAG once with dag.test() in local mode; returns (dag run, lakehouse, stages run)."""
    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:  # Airflow < 3.1
        from airflow.models.dagbag import DagBag

    given = os.environ.get("REFINERY_TEST_LAKEHOUSE")
    lakehouse = SESSION_DIR / "lakehouse"
    overrides = []
    if os.environ.get("REFINERY_TEST_STAGES"):
        stages = os.environ["REFINERY_TEST_STAGES"].split(",")
    elif given:
        stages = ["ingest"]
    else:
        stages = available_stages()
    if given or stages == ["ingest"]:
        overrides = [f'ingest.paths=["{SMALL_SAMPLE}"]']
    dag = DagBag(dag_folder=str(REPO / "airflow" / "dags")).get_dag("refinery")
    run = dag.test(run_conf={"config": "conf/local.conf", "lakehouse": str(lakehouse), "run_id": "airflow-test",
                             "overrides": overrides, "stages": stages})
    return run, lakehouse, stages


@pytest.fixture(scope="session")
def lakehouse(request) -> Path:
    """The lakehouse the notebooks and the report read: REFINERY_TEST_LAKEHOUSE, else the one dag.test made."""
    given = os.environ.get("REFINERY_TEST_LAKEHOUSE")
    return Path(given).resolve() if given else request.getfixturevalue("dag_run")[1]


@pytest.fixture(scope="session")
def filled_lakehouse(lakehouse) -> Path:
    """A copy of `lakehouse` with synthetic stand-ins for the tables no stage has produced yet."""
    from synthetic_tables import fill_missing

    copy = SESSION_DIR / "filled-lakehouse"
    if not copy.exists():
        shutil.copytree(lakehouse, copy)
        fill_missing(copy)
    return copy
