"""`robotwork doctor`: registry against store, with what it repairs and what it only reports."""

import hashlib
import json
import shutil
import time
from pathlib import Path

from ingest_procs import prepare, recording, run_processes
from sqlalchemy import update
from typer.testing import CliRunner

from robotwork.cli.app import app
from robotwork.ingest import jobs
from robotwork.registry.db import open_registry
from robotwork.registry.models import IngestJob


def test_doctor_finishes_stopped_ingests_removes_leftovers_and_reports_lost_files(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
    home = prepare(db_url, str(tmp_path / "telemetry"))
    store = Path(home.store_root)

    def cli(*args: str):
        return CliRunner().invoke(
            app, ["--home", str(tmp_path), "--db", db_url, "--store", str(store), *args]
        )

    whole, stopped, lost = (recording(tmp_path, seed, states=3_000) for seed in range(3))
    assert json.loads(cli("ingest", str(whole), "--json").stdout)["status"] == "ingested"
    assert run_processes(home, stopped, [0.0], kill_at="stored") == []  # killed before its evidence
    assert json.loads(cli("ingest", str(lost), "--json").stdout)["status"] == "ingested"
    [lost_row] = [
        r for r in json.loads(cli("recordings", "list", "--json").stdout) if r["source_name"] == lost.name
    ]
    lost_files = json.loads(cli("recordings", "show", lost_row["recording_id"], "--json").stdout)["files"]
    (store / lost_files[0]).unlink()  # a file of a counted recording disappears
    published = next(
        p for p in store.rglob("*.parquet") if "_staging" not in p.parts and "derived" not in p.parts
    )
    orphan = published.parent / f"{hashlib.sha256(b'nobody').hexdigest()}-0000.parquet"
    shutil.copy(published, orphan)  # a published file no registry row lists
    old = store / "_staging" / ("a" * 64) / f"{int(time.time()) - 7200}-{'0' * 16}"
    old.mkdir(parents=True)
    (old / "part.parquet").write_bytes(b"half")
    cut = store / "_inbox" / f".tmp-{int(time.time()) - 7200}-{'b' * 32}"  # an upload cut off
    cut.parent.mkdir(parents=True, exist_ok=True)
    cut.write_bytes(b"first bytes of an upload")
    failing = "c" * 64  # a job that failed again and again: reported, not retried for ever
    jobs.receive(
        open_registry(db_url),
        failing,
        source="gone.mcap",
        source_name="gone.mcap",
        overrides={},
        actor="t",
        claim=None,
    )
    with open_registry(db_url).begin() as conn:
        conn.execute(
            update(IngestJob).where(IngestJob.recording_id == failing).values(attempts=jobs.MAX_ATTEMPTS)
        )

    check = cli("doctor", "--check", "--json")
    assert check.exit_code == 1
    report = json.loads(check.stdout)
    assert any("stopped at stored" in p for p in report["problems"])
    assert any(lost_row["recording_id"] in p and "missing from the store" in p for p in report["problems"])
    assert any(orphan.name in d for d in report["done"]) and orphan.exists()  # --check changes nothing

    repaired = cli("doctor", "--json")
    report = json.loads(repaired.stdout)
    assert repaired.exit_code == 1  # the lost file cannot be made again: it is reported
    assert [p for p in report["problems"] if "missing from the store" in p]
    assert not orphan.exists() and not old.exists() and not cut.exists()
    assert any("gone.mcap" in p and "failed 5 times" in p for p in report["problems"])
    assert any("finished the ingest" in d and "ingested" in d for d in report["done"])
    states = {r["source_name"]: r["state"] for r in json.loads(cli("recordings", "list", "--json").stdout)}
    assert states == {
        whole.name: "counted",
        stopped.name: "counted",
        lost.name: "counted",
        "gone.mcap": "received",
    }
    shown = json.loads(cli("recordings", "show", lost_row["recording_id"], "--json").stdout)
    assert any("missing from the store" in m for m in shown["missing"])
