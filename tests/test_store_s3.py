"""The telemetry store on S3 (SeaweedFS): ingest and DuckDB queries through the CLI, and what an
S3 failure does: one line naming the store, and a registry as it was before."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from objectstore import BUCKET, RESTRICTED, PrivateS3
from recordings import synthetic_content, write_json_mcap
from registry_docs import province_program, write_json
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from robotwork.cli.app import app
from robotwork.intake import Intake
from robotwork.registry.db import open_registry
from robotwork.registry.models import IngestJob, Recording, RecordingDay
from robotwork.store.telemetry import TelemetryStore

START = int(datetime(2026, 9, 1, 2, tzinfo=UTC).timestamp()) * 10**9


def recording(path: Path, seed: int = 0) -> Path:
    """A JSON MCAP recording of robot R-GD-1 (known to `province_program`)."""
    content = synthetic_content(states=600, joints=7, start_ns=START + seed * 10**9)
    content.identity = {"robot_serial": "R-GD-1"}
    return write_json_mcap(path, content)


def runner(db_url: str, home: Path, store: str):
    def _run(*args: str):
        return CliRunner().invoke(app, ["--home", str(home), "--db", db_url, "--store", store, *args])

    return _run


def registry_counts(engine: Engine) -> dict[str, int]:
    """What a failed ingest must not change."""
    with Session(engine) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Recording, RecordingDay, IngestJob)
        }


def test_ingest_query_and_show_over_s3(db_url, tmp_path, s3_root):
    cli = runner(db_url, tmp_path / "home", s3_root)
    assert cli("import", str(write_json(province_program(), tmp_path / "gd.json"))).exit_code == 0
    result = cli("ingest", str(recording(tmp_path / "r.mcap")), "--json")
    assert result.exit_code == 0, result.output
    [line] = [json.loads(x) for x in result.stdout.splitlines()]
    assert line["status"] == "ingested"

    shown = json.loads(cli("recordings", "show", line["recording_id"], "--json").stdout)
    assert shown["files"] and all(f.endswith(".parquet") for f in shown["files"])
    store = TelemetryStore(s3_root)
    assert all(store.files.size(f) > 0 for f in shown["files"])
    assert not [f for f in store.files.find("_staging") if f.endswith(".parquet")]

    query = cli("query", "SELECT robot, count(*) AS n FROM joint_states GROUP BY robot", "--json")
    assert query.exit_code == 0, query.output
    assert json.loads(query.stdout) == [{"robot": "R-GD-1", "n": shown["rows"]["joint_states"]}]
    again = cli("ingest", str(tmp_path / "r.mcap"), "--json")
    assert json.loads(again.stdout)["status"] == "duplicate"


def test_a_denied_bucket_is_one_line_and_leaves_the_registry_as_it_was(
    db_url, tmp_path, s3_bucket, monkeypatch
):
    home = tmp_path / "home"
    cli = runner(db_url, home, f"s3://{BUCKET}/denied")
    assert cli("import", str(write_json(province_program(), tmp_path / "gd.json"))).exit_code == 0
    engine = open_registry(db_url)
    before = registry_counts(engine)
    for key, value in RESTRICTED.items():  # keys that may use another bucket only
        monkeypatch.setenv(key, value)

    result = cli("ingest", str(recording(tmp_path / "r.mcap")))

    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert f"bucket {BUCKET}: access denied" in line
    assert registry_counts(engine) == before
    engine.dispose()


def test_a_server_stopped_mid_write_is_one_line_and_leaves_the_registry_as_it_was(
    db_url, policy, tmp_path, monkeypatch
):
    server = PrivateS3(tmp_path / "s3")
    server.start()
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.endpoint)
        cli = runner(db_url, tmp_path / "home", f"s3://{BUCKET}/stopped")
        assert cli("import", str(write_json(province_program(), tmp_path / "gd.json"))).exit_code == 0
        engine = open_registry(db_url)
        before = registry_counts(engine)
        intake = Intake(engine, TelemetryStore(f"s3://{BUCKET}/stopped"), policy, actor="test")

        def stop_the_server(rows: int) -> None:
            server.stop()  # rows are being written: the store goes away under the writer

        result = intake.take(recording(tmp_path / "r.mcap"), on_rows=stop_the_server)

        assert result.status == "rejected" and result.error is not None
        assert "\n" not in result.error and f"object store {server.endpoint}" in result.error
        assert registry_counts(engine) == before
        engine.dispose()
    finally:
        server.stop()


@pytest.mark.parametrize("root", ["s3://", "s3:///prefix"])
def test_an_s3_root_without_a_bucket_is_refused_in_one_line(tmp_path, root):
    result = CliRunner().invoke(app, ["--home", str(tmp_path), "--store", root, "query", "SELECT 1"])
    assert result.exit_code == 1 and "name a bucket" in result.output
