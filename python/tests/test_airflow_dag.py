"""The Airflow DAG with real Apache Airflow: it imports cleanly, its graph follows the pipeline's data flow, and
dag.test() runs the local mode end to end (fixture dag_run in conftest.py)."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from deltalake import DeltaTable

from conftest import REPO, SMALL_SAMPLE, available_stages, refinery

DAG_FILE = REPO / "airflow" / "dags" / "refinery.py"


def load_dag_module(mode: str = "local"):
    os.environ["REFINERY_AIRFLOW_MODE"] = mode
    try:
        spec = importlib.util.spec_from_file_location(f"refinery_dag_{mode.replace('-', '_')}", DAG_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        os.environ.pop("REFINERY_AIRFLOW_MODE", None)


def dagbag():
    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:  # Airflow < 3.1
        from airflow.models.dagbag import DagBag
    return DagBag(dag_folder=str(DAG_FILE.parent))


def test_dag_imports_without_errors(airflow_db):
    bag = dagbag()
    assert bag.import_errors == {}
    dag = bag.get_dag("refinery")
    assert dag is not None
    graph = json.loads((REPO / "airflow/dags/refinery-stages.json").read_text())
    assert len(dag.tasks) == len(graph["stages"]) >= 19


def test_tasks_follow_the_stage_graph_the_build_wrote():
    graph = json.loads((REPO / "airflow/dags/refinery-stages.json").read_text())
    order = [stage["name"] for stage in graph["stages"]]
    assert json.loads(refinery("stages", "--json").stdout) == graph, "refinery-stages.json is stale"
    module = load_dag_module()
    assert module.PIPELINE_ORDER == order
    dag = module.dag
    assert [t.task_id for t in dag.tasks] == [s.replace("-", "_") for s in order]
    position = {s.replace("-", "_"): i for i, s in enumerate(order)}
    for task in dag.tasks:
        for parent in task.upstream_task_ids:
            assert position[parent] < position[task.task_id], f"{parent} -> {task.task_id} goes backwards"
    for stage in graph["stages"]:
        task = dag.get_task(stage["name"].replace("-", "_"))
        assert task.upstream_task_ids == {s.replace("-", "_") for s in stage["upstream"]}
    edges = {(p, t.task_id) for t in dag.tasks for p in t.upstream_task_ids}
    for edge in [("ingest", "perplexity"), ("lm_train", "perplexity"), ("ingest", "quality_signals"),
                 ("quality_signals", "quality_filter"), ("quality_filter", "perplexity"),
                 ("quality_filter", "dedup_exact"), ("perplexity", "dedup_exact"),
                 ("dedup_exact", "dedup_minhash"), ("dedup_minhash", "dedup_semantic"),
                 ("cai", "judge"), ("import_pairs", "judge"), ("import_labels", "judge"),
                 ("judge", "agreement"), ("agreement", "export"), ("export", "train_rm"),
                 ("ref_logprobs", "train_dpo")]:
        assert edge in edges
    assert dag.get_task("ingest").retries >= 1


def test_the_dag_parses_in_under_two_seconds_without_a_jvm():
    started = time.monotonic()
    load_dag_module()
    assert time.monotonic() - started < 2.0


def parse_stages_table(text: str) -> dict[str, tuple[list[str], list[str]]]:
    """`bin/refinery stages` -> stage: (tables read, tables written), by the header's column offsets."""
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("stage"))
    starts = [m.start() for m in re.finditer(r"\S+", lines[header])]
    result = {}
    for line in lines[header + 2:]:
        if not line.strip():
            continue
        cells = [line[a:b].strip() for a, b in zip(starts, starts[1:] + [len(line)])]
        split = lambda cell: [t.strip() for t in cell.split(",") if t.strip()]
        result[cells[0]] = (split(cells[1]), split(cells[2]))
    return result


def test_every_table_a_stage_reads_is_written_upstream():
    """For the stages on the classpath: a table read by a stage and written by another stage must come from one
    of its ancestors in the DAG, so no task can start before its inputs exist. An optional read (`table?`) of a
    table the stage writes itself is shared state (each dedup stage folds every method's dedup_clusters into
    documents_clean), not an input, and is exempt."""
    module = load_dag_module()
    dag = module.dag
    tables = parse_stages_table(refinery("stages").stdout)
    writers = {}
    for stage, (_, writes) in tables.items():
        for table in writes:
            writers.setdefault(table, set()).add(stage)
    for stage, (reads, own_writes) in tables.items():
        ancestors = {t.replace("_", "-") for t in dag.get_task(stage.replace("-", "_")).get_flat_relative_ids(upstream=True)}
        for read in reads:
            table = read.rstrip("?")
            if read.endswith("?") and table in own_writes:
                continue
            producers = writers.get(table, set()) - {stage}
            if table in ("quarantine", "pipeline_runs", "llm_calls") or not producers:
                continue
            assert producers & ancestors, f"{stage} reads {table} written by {producers}, none upstream"


def test_stage_arguments_carry_config_overrides_and_a_stable_run_id():
    module = load_dag_module()
    params = {"config": "conf/local.conf", "overrides": ["perplexity.order=3"], "lakehouse": "/tmp/lh", "run_id": ""}
    args = module.stage_args("perplexity", params, "manual__2026-11-23T12:00:00+00:00")
    assert args == ["run", "perplexity", "--config", "conf/local.conf", "--lakehouse", "/tmp/lh",
                    "--set", "run-id=manual__2026-11-23T12-00-00-00-00", "--set", "perplexity.order=3"]
    assert module.stage_args("ingest", {**params, "run_id": "nightly-7"}, "x")[7] == "run-id=nightly-7"
    with pytest.raises(ValueError, match="expected key=value"):
        module.stage_args("ingest", {"overrides": ["oops"]}, "x")
    command = module.local_command("ingest", {**params, "overrides": ['ingest.paths=["a b.jsonl"]']}, "r1")
    assert command.startswith(str(REPO / "bin" / "refinery") + " run ingest")
    assert "'ingest.paths=[\"a b.jsonl\"]'" in command
    assert "exit 99" in module.local_command("ingest", {"stages": ["cai"]}, "r1")


def test_spark_submit_mode_builds_submit_commands(monkeypatch):
    from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

    module = load_dag_module("spark-submit")
    dag = module.dag
    assert all(isinstance(t, SparkSubmitOperator) for t in dag.tasks)
    assert dag.params["config"] == "conf/cluster.conf"
    monkeypatch.setenv("AIRFLOW_CONN_SPARK_DEFAULT", '{"conn_type": "spark", "host": "local[2]"}')
    task = dag.get_task("perplexity")
    args = module.stage_args("perplexity", {"config": "conf/cluster.conf", "run_id": "r1"}, "ignored")
    task.application_args = args  # what execute() does with the run's params
    command = task._get_hook()._build_spark_submit_command(task.application)
    assert command[:3] == ["spark-submit", "--master", "local[2]"]
    assert command[command.index("--class") + 1] == "dev.refinery.jobs.RefineryMain"
    assert command[-len(args) - 1:] == [str(REPO / "jobs/target/refinery-jobs.jar"), *args]


def test_local_mode_runs_end_to_end(dag_run):
    run, lakehouse, stages = dag_run
    assert run.state == "success", run
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    for stage in stages:
        assert states[stage.replace("-", "_")] == "success", states
    runs = DeltaTable(str(lakehouse / "pipeline_runs")).to_pandas()
    mine = runs[runs["run_id"] == "airflow-test"]
    assert sorted(mine["stage"]) == sorted(stages)
    assert set(mine["status"]) == {"succeeded"}


def test_spark_submit_mode_runs_on_a_standalone_cluster(dag_run, tmp_path, monkeypatch):
    """The cluster path for real: bin/cluster up starts a standalone master and two workers on 127.0.0.1, and
    SparkSubmitOperator submits each stage with the real `spark-submit` of the project's Spark install through a
    Spark connection to spark://127.0.0.1:7377; executors of their own write the lakehouse."""
    cluster = str(REPO / "bin" / "cluster")
    env = {**os.environ, "REFINERY_CLUSTER_PORT": "7377", "REFINERY_CLUSTER_UI_PORT": "8380",
           "REFINERY_WORKER_MEMORY": "2g", "REFINERY_EXECUTOR_MEMORY": "1g"}
    up = subprocess.run([cluster, "up", "--workers", "2"], cwd=REPO, env=env, capture_output=True, text=True,
                        timeout=600)
    assert up.returncode == 0, up.stderr
    try:
        spark_home = subprocess.run([cluster, "spark-home"], cwd=REPO, env=env, capture_output=True, text=True,
                                    check=True).stdout.strip()
        jars = subprocess.run([cluster, "jars"], cwd=REPO, env=env, capture_output=True, text=True,
                              check=True).stdout.strip()
        monkeypatch.setenv("PATH", f"{spark_home}/bin{os.pathsep}{os.environ['PATH']}")
        monkeypatch.setenv("SPARK_HOME", spark_home)
        monkeypatch.setenv("REFINERY_SPARK_JARS", jars)
        monkeypatch.setenv("AIRFLOW_CONN_SPARK_DEFAULT",
                           '{"conn_type": "spark", "host": "spark://127.0.0.1", "port": 7377}')
        monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        lakehouse = tmp_path / "lakehouse"
        dag = load_dag_module("spark-submit").dag
        run = dag.test(run_conf={"config": str(REPO / "conf" / "local.conf"), "lakehouse": str(lakehouse),
                                 "run_id": "submit-test", "stages": ["ingest", "dedup-exact"],
                                 "overrides": [f'ingest.paths=["{SMALL_SAMPLE}"]']})
        assert run.state == "success"
        runs = DeltaTable(str(lakehouse / "pipeline_runs")).to_pandas()
        assert sorted(runs["stage"]) == ["dedup-exact", "ingest"] and set(runs["run_id"]) == {"submit-test"}
        assert set(runs["status"]) == {"succeeded"}
        assert len(DeltaTable(str(lakehouse / "raw_documents")).to_pandas()) == 10
        assert len(DeltaTable(str(lakehouse / "documents_clean")).to_pandas()) == 10
        apps = (REPO / ".cluster" / "work-7377").glob("worker-*/app-*")
        assert {app.name for app in apps}, "no application ran on the cluster's workers"
    finally:
        down = subprocess.run([cluster, "down"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        assert "stopped master" in down.stderr, down.stderr
