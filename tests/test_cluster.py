"""Ray: `ingest --ray` and `rebuild --ray` give the figures of one process; a worker killed
mid-ingest loses nothing (Ray runs the task again, which finishes the recording)."""

import json
import os
import signal
import threading
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
from raycluster import worker_pids
from recordings import synthetic_content, write_json_mcap
from registry_docs import gd_fleet, write_json
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner
from workdays import days_back, workdays

from robotwork.accounts import create_token
from robotwork.cli.app import app
from robotwork.cluster import Home, Runner, ingest_files
from robotwork.ingest import jobs
from robotwork.ingest.pipeline import Overrides
from robotwork.registry.db import open_registry
from robotwork.registry.models import IngestJob, Recording, RecordingDay

AS_OF = date(2026, 11, 20)
PG_ONLY = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def runner(home: Path, db_url: str, store: str | None = None):
    def _run(*args: str):
        options = ["--home", str(home), "--db", db_url, *(["--store", store] if store else [])]
        return CliRunner().invoke(app, [*options, "--actor", "test", *args])

    return _run


def figures(cli) -> dict[str, list[dict]]:
    out = {}
    for by in ("robot", "scenario", "national"):
        result = cli("metrics", "--by", by, "--as-of", AS_OF.isoformat(), "--json")
        assert result.exit_code == 0, result.output
        out[by] = json.loads(result.stdout)["rows"]
    flags = cli("flags", "list", "--all", "--json")
    keys = ("rule", "robot_serial", "recording_id")
    out["flags"] = [{k: f[k] for k in keys} for f in json.loads(flags.stdout)]
    return out


def fleet_files(folder: Path) -> list[Path]:
    """Three robots' fortnights, and one recording copied under another serial (a flag)."""
    days = days_back(AS_OF, 14)
    files = [write_json_mcap(folder / f"r{i}.mcap", workdays(f"R-GD-{i}", days, seed=i)) for i in (1, 2, 3)]
    files.append(write_json_mcap(folder / "copy.mcap", workdays("R-GD-4", days[:1], seed=1)))
    return files


@PG_ONLY
def test_ingest_and_rebuild_on_ray_give_the_figures_of_one_process(
    db_url, tmp_path, s3_root, ray_local
):
    program = write_json(gd_fleet(6), tmp_path / "fleet.json")
    files = fleet_files(tmp_path)
    serial = runner(tmp_path / "serial", f"sqlite:///{tmp_path / 'serial.sqlite'}")
    assert serial("import", str(program)).exit_code == 0
    assert serial("ingest", *map(str, files)).exit_code == 0

    cluster = runner(tmp_path / "cluster", db_url, s3_root)
    assert cluster("import", str(program)).exit_code == 0
    result = cluster("ingest", *map(str, files), "--ray", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == list(map(str, files))
    assert {line["status"] for line in lines} == {"ingested"}

    expected = figures(serial)
    assert expected["flags"] and figures(cluster) == expected
    assert cluster("rebuild", "--ray").exit_code == 0
    assert serial("rebuild").exit_code == 0
    assert figures(cluster) == figures(serial) == expected


@PG_ONLY
def test_a_ray_worker_killed_mid_ingest_loses_nothing(db_url, tmp_path, s3_root, ray_local):
    cli = runner(tmp_path / "home", db_url, s3_root)
    assert cli("import", str(write_json(gd_fleet(1), tmp_path / "fleet.json"))).exit_code == 0
    content = synthetic_content(states=60_000, joints=32, start_ns=1_790_000_000 * 10**9)
    content.identity = {"robot_serial": "R-GD-1"}
    path = write_json_mcap(tmp_path / "long.mcap", content)
    home = Home.at(tmp_path / "home", db_url, s3_root, None, "test")
    engine = open_registry(db_url)
    outcome: list = []
    worker = threading.Thread(
        target=lambda: outcome.extend(ingest_files(home, [path], Overrides(), Runner(ray=True)))
    )
    worker.start()

    killed = kill_the_worker_once_it_holds_the_job(engine)
    worker.join(timeout=300)

    assert killed, "the ingest finished before a worker could be killed"
    [result] = outcome
    assert result.status == "ingested", result.error
    with Session(engine) as session:
        [rec] = session.scalars(select(Recording)).all()
        assert rec.rows["joint_states"] == 60_000
        assert session.scalar(select(func.count()).select_from(RecordingDay)) >= 1
        assert session.get_one(IngestJob, rec.recording_id).state == jobs.COUNTED
    query = cli("query", "SELECT count(*) AS n FROM joint_states", "--json")
    assert query.exit_code == 0, query.output
    assert json.loads(query.stdout) == [{"n": 60_000}]
    engine.dispose()


def kill_the_worker_once_it_holds_the_job(engine) -> list[int]:
    """SIGKILL the Ray worker running the ingest while its job is claimed and not yet counted."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with Session(engine) as session:
            held = session.scalars(
                select(IngestJob).where(IngestJob.claim.is_not(None), IngestJob.state != jobs.COUNTED)
            ).first()
        pids = worker_pids("ingest_file") if held else []
        if pids:
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
            return pids
        time.sleep(0.02)
    return []


@PG_ONLY
def test_serve_hands_uploads_to_the_cluster(db_url, tmp_path, s3_root, ray_local):
    import ray
    from test_uploads import _counted, served

    cli = runner(tmp_path / "home", db_url, s3_root)
    assert cli("import", str(write_json(gd_fleet(1), tmp_path / "fleet.json"))).exit_code == 0
    engine = open_registry(db_url)
    headers = {"Authorization": f"Bearer {create_token(engine, robot='R-GD-1')}"}
    address = ray.get_runtime_context().gcs_address
    options = ["--store", s3_root]
    with served(tmp_path / "home", db_url, options=options, serve_options=["--ray", address]) as url:
        for i in range(3):
            content = synthetic_content(states=400, start_ns=1_790_000_000 * 10**9 + i * 10**11, seed=i)
            content.identity = {"robot_serial": "R-GD-1"}
            path = write_json_mcap(tmp_path / f"up-{i}.mcap", content)
            files = {"file": (path.name, path.read_bytes(), "application/octet-stream")}
            response = httpx.post(f"{url}/api/v1/recordings", files=files, headers=headers, timeout=60)
            assert response.status_code == 202, response.text
        deadline = time.monotonic() + 180
        while _counted(engine) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
    assert _counted(engine) == 3
    engine.dispose()
