"""Refinery's pipeline as an Airflow DAG: one task per stage, wired by the data flow of DESIGN.md.

Two modes, chosen when the scheduler parses this file (environment variable ``REFINERY_AIRFLOW_MODE``):

* ``local`` (default): each task is a ``BashOperator`` running ``bin/refinery run <stage>`` in the Refinery
  checkout (``REFINERY_HOME``), the embedded default: local Spark, ``conf/local.conf``, ``./lakehouse``.
* ``spark-submit``: each task is a ``SparkSubmitOperator`` submitting the jobs jar
  (``dev.refinery.jobs.RefineryMain run <stage>``) through the Airflow connection ``REFINERY_SPARK_CONN_ID``
  (default ``spark_default``), with ``conf/cluster.conf``.

DAG params (Trigger DAG w/ config, or ``dag.test(run_conf=...)``):

* ``config``: the HOCON file layered over the defaults (relative paths resolve in ``REFINERY_HOME``).
* ``overrides``: list of ``key=value`` strings, each passed as ``--set key=value``.
* ``lakehouse``: optional lakehouse root (``--lakehouse``); empty means the config's ``lakehouse.root``.
* ``run_id``: the pipeline run id (``--set run-id=...``); empty means the Airflow run id, made safe.
  Every task of a DAG run and every retry of a task uses the same id, and stages are idempotent (MERGE on
  deterministic keys), so a retried task rewrites the same rows instead of adding new ones.
* ``stages``: optional list restricting which stages run; the others are skipped (their downstream tasks
  still run, because every task triggers on ``none_failed``).
"""

from __future__ import annotations

import os
import re
import shlex
from datetime import datetime, timedelta
from pathlib import Path

from airflow.sdk import DAG, Param

import json

#: The stage graph, from the stages' own declarations: `refinery stages --json`, written next to this file by the
#: build (jobs/pom.xml) and checked current by StageGraphFileTest, so the DAG parses without a JVM. A stage waits
#: for every stage that writes a table it reads; stages that write one table (the three dedup methods and
#: documents_clean, cai/import-*/preference_pairs, the LLM stages and llm_calls) run one after the other.
STAGE_GRAPH_FILE = Path(__file__).with_name("refinery-stages.json")
_GRAPH = json.loads(STAGE_GRAPH_FILE.read_text())

#: Every stage, producers before consumers (the graph's topological order, ties broken by name).
PIPELINE_ORDER = [stage["name"] for stage in _GRAPH["stages"]]

#: stage -> the stages it waits for.
UPSTREAM = {stage["name"]: list(stage["upstream"]) for stage in _GRAPH["stages"]}

MODES = ("local", "spark-submit")
MAIN_CLASS = "dev.refinery.jobs.RefineryMain"
_SAFE_RUN_ID = re.compile(r"[^A-Za-z0-9._-]+")


def refinery_home() -> Path:
    """The Refinery checkout: ``REFINERY_HOME``, else two folders up from this file (airflow/dags/)."""
    home = os.environ.get("REFINERY_HOME")
    return Path(home) if home else Path(__file__).resolve().parents[2]


def pipeline_run_id(params: dict, airflow_run_id: str) -> str:
    """The run id given in params, else the Airflow run id with characters other than [A-Za-z0-9._-] as '-'."""
    chosen = (params.get("run_id") or "").strip() or airflow_run_id
    return _SAFE_RUN_ID.sub("-", chosen).strip("-")


def stage_args(stage: str, params: dict, airflow_run_id: str) -> list[str]:
    """The arguments after the CLI (``run <stage> --config ... --set run-id=...``), shared by both modes."""
    args = ["run", stage]
    if params.get("config"):
        args += ["--config", str(params["config"])]
    if params.get("lakehouse"):
        args += ["--lakehouse", str(params["lakehouse"])]
    args += ["--set", "run-id=" + pipeline_run_id(params, airflow_run_id)]
    for override in params.get("overrides") or []:
        if "=" not in override:
            raise ValueError(f"Cannot use override {override!r}: expected key=value")
        args += ["--set", override]
    return args


def selected(stage: str, params: dict) -> bool:
    wanted = params.get("stages") or []
    return not wanted or stage in wanted


def local_command(stage: str, params: dict, airflow_run_id: str) -> str:
    """The shell command of a local-mode task; exit code 99 makes Airflow mark a deselected stage skipped."""
    if not selected(stage, params):
        return f"echo 'stage {stage} not selected in params.stages'; exit 99"
    launcher = str(refinery_home() / "bin" / "refinery")
    return shlex.join([launcher, *stage_args(stage, params, airflow_run_id)])


def _mode() -> str:
    mode = os.environ.get("REFINERY_AIRFLOW_MODE", "local")
    if mode not in MODES:
        raise ValueError(f"Cannot build the refinery DAG: REFINERY_AIRFLOW_MODE={mode!r}, expected one of {MODES}")
    return mode


def _default_config(mode: str) -> str:
    return "conf/local.conf" if mode == "local" else "conf/cluster.conf"


def _stage_task(stage: str, mode: str):
    task_id = stage.replace("-", "_")
    common = dict(task_id=task_id, trigger_rule="none_failed", doc_md=f"`refinery run {stage}`")
    if mode == "local":
        from airflow.providers.standard.operators.bash import BashOperator

        return BashOperator(
            bash_command="{{ refinery_local_command('%s', params, run_id) }}" % stage,
            cwd=str(refinery_home()),
            env={"REFINERY_DRIVER_MEMORY": os.environ.get("REFINERY_DRIVER_MEMORY", "4g")},
            append_env=True,
            skip_on_exit_code=99,
            **common,
        )
    return _submit_task(stage, common)


def _submit_task(stage: str, common: dict):
    from airflow.sdk.exceptions import AirflowSkipException
    from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

    class RefineryStageSubmit(SparkSubmitOperator):
        """spark-submit of one stage; the arguments come from the DAG run's params at execution time."""

        def __init__(self, *, stage_name: str, **kwargs):
            super().__init__(**kwargs)
            self.stage_name = stage_name

        def execute(self, context):
            params = context["params"]
            if not selected(self.stage_name, params):
                raise AirflowSkipException(f"stage {self.stage_name} not selected in params.stages")
            self.application_args = stage_args(self.stage_name, params, context["run_id"])
            # The hook was built from the constructor's arguments; rebuild it with the run's arguments.
            self._hook = None
            return super().execute(context)

    home = refinery_home()
    jars = os.environ.get("REFINERY_SPARK_JARS", "")
    return RefineryStageSubmit(
        stage_name=stage,
        application=os.environ.get("REFINERY_JAR", str(home / "jobs" / "target" / "refinery-jobs.jar")),
        java_class=MAIN_CLASS,
        conn_id=os.environ.get("REFINERY_SPARK_CONN_ID", "spark_default"),
        name=f"refinery-{stage}",
        jars=jars or None,
        conf={"spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
              "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog"},
        verbose=False,
        **common,
    )


def build_dag(mode: str | None = None) -> DAG:
    mode = mode or _mode()
    with DAG(
        dag_id="refinery",
        description="Refinery: raw text and seed prompts to alignment training data, one task per stage",
        schedule=None,
        start_date=datetime(2026, 1, 1),
        catchup=False,
        # Local mode shares one machine and one lakehouse: one stage at a time. Clusters can overlap branches.
        max_active_tasks=int(os.environ.get("REFINERY_AIRFLOW_MAX_ACTIVE_TASKS", "1" if mode == "local" else "4")),
        max_active_runs=1,
        default_args={
            "retries": int(os.environ.get("REFINERY_AIRFLOW_RETRIES", "2")),
            "retry_delay": timedelta(minutes=2),
            "retry_exponential_backoff": True,
        },
        params={
            "config": Param(_default_config(mode), type="string", description="HOCON config file"),
            "overrides": Param([], type="array", items={"type": "string"}, description="key=value overrides"),
            "lakehouse": Param("", type="string", description="lakehouse root; empty: the config's"),
            "run_id": Param("", type="string", description="pipeline run id; empty: the Airflow run id"),
            "stages": Param([], type="array", items={"type": "string"},
                            description="run only these stages (empty: all)"),
        },
        user_defined_macros={"refinery_local_command": local_command},
        tags=["refinery", mode],
        doc_md=__doc__,
    ) as dag:
        tasks = {stage: _stage_task(stage, mode) for stage in PIPELINE_ORDER}
        for stage, upstream in UPSTREAM.items():
            for parent in upstream:
                tasks[parent] >> tasks[stage]
    return dag


dag = build_dag()
