"""The lakehouse on s3a:// (conf/cluster.conf, hadoop-aws) against a real S3-compatible server on 127.0.0.1
(moto's server): ingest writes Delta tables to the bucket, delta-rs reads them back, and the secret key, given
only through the standard provider chain (environment), appears in no log, no table file and no config output."""
from __future__ import annotations

import socket
import uuid

import boto3
import pytest
from deltalake import DeltaTable

from conftest import REPO, SMALL_SAMPLE, refinery

BUCKET = "refinery-test"


@pytest.fixture(scope="module")
def s3():
    from moto.server import ThreadedMotoServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    secret = "refinery-secret-" + uuid.uuid4().hex
    credentials = {"AWS_ACCESS_KEY_ID": "refinery-test-key", "AWS_SECRET_ACCESS_KEY": secret,
                   "AWS_REGION": "us-east-1"}
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=secret, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    client.upload_file(str(SMALL_SAMPLE), BUCKET, "raw/" + SMALL_SAMPLE.name)
    yield {"endpoint": endpoint, "credentials": credentials, "secret": secret, "client": client}
    server.stop()


def s3a_settings(endpoint: str) -> list[str]:
    """What a deployment against MinIO/moto changes in conf/cluster.conf: the endpoint and path-style access."""
    settings = {
        "spark.hadoop.fs.s3a.endpoint": f'"{endpoint}"',
        "spark.hadoop.fs.s3a.endpoint.region": "us-east-1",
        "spark.hadoop.fs.s3a.path.style.access": "true",
        "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
        "spark.hadoop.fs.s3a.change.detection.mode": "none",
    }
    args = []
    for key, value in settings.items():
        args += ["--set", f'spark.conf."{key}"={value}']
    return args


def test_ingest_writes_the_lakehouse_to_s3_and_it_reads_back(s3):
    lake = f"s3a://{BUCKET}/lakehouse"
    run = refinery("run", "ingest", "--config", "conf/cluster.conf", "--lakehouse", lake,
                   "--set", "spark.shuffle-partitions=4", "--set", "spark.log-level=INFO", "--set", "run-id=s3-test",
                   "--set", "ingest.format=jsonl",
                   "--set", f'ingest.paths=["s3a://{BUCKET}/raw/{SMALL_SAMPLE.name}"]',
                   *s3a_settings(s3["endpoint"]), env=s3["credentials"])
    assert "ingest          succeeded" in run.stdout

    options = {"AWS_ENDPOINT_URL": s3["endpoint"], "AWS_ALLOW_HTTP": "true", "AWS_REGION": "us-east-1",
               "AWS_ACCESS_KEY_ID": s3["credentials"]["AWS_ACCESS_KEY_ID"], "AWS_SECRET_ACCESS_KEY": s3["secret"]}
    documents = DeltaTable(f"s3://{BUCKET}/lakehouse/raw_documents", storage_options=options).to_pandas()
    assert len(documents) == 10
    assert set(documents["source"]) == {SMALL_SAMPLE.name}
    runs = DeltaTable(f"s3://{BUCKET}/lakehouse/pipeline_runs", storage_options=options).to_pandas()
    ingest = runs[(runs["run_id"] == "s3-test") & (runs["stage"] == "ingest")]
    assert list(ingest["status"]) == ["succeeded"] and list(ingest["rows_out"]) == [10]

    # The secret is nowhere: not in the run's output (INFO logs) and not in any object written to the bucket.
    assert s3["secret"] not in run.stdout + run.stderr
    client = s3["client"]
    keys = [o["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="lakehouse/")
            for o in page.get("Contents", [])]
    assert any(k.startswith("lakehouse/pipeline_runs/_delta_log/") for k in keys)
    for key in keys:
        body = client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        assert s3["secret"].encode() not in body, key


def test_config_output_masks_a_secret_set_by_mistake(s3):
    shown = refinery("config", "--config", "conf/cluster.conf", "--config", "conf/s3-multi-cluster.conf",
                     "--set", f'spark.conf."spark.hadoop.fs.s3a.secret.key"="{s3["secret"]}"', env=s3["credentials"])
    assert s3["secret"] not in shown.stdout + shown.stderr
    assert "S3DynamoDBLogStore" in shown.stdout
    assert '"spark.hadoop.fs.s3a.secret.key" : "****"' in shown.stdout
    # And the shipped cluster config holds no credentials at all.
    cluster = (REPO / "conf" / "cluster.conf").read_text()
    assert "secret.key\" =" not in cluster and "access.key\" =" not in cluster
