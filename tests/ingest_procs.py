"""Helpers for tests that ingest from several real processes into one home.

Children are forked (fast: robotwork is already imported) and open their own engine, so each is
a separate process with its own connections, as a second CLI run or a web worker would be.
"""

import multiprocessing as mp
import os
import signal
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from recordings import synthetic_content, write_ros2_mcap
from registry_docs import province_program, write_json
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from robotwork.evidence.metrics import metrics
from robotwork.intake import Intake
from robotwork.policy import load_policy
from robotwork.registry.db import open_registry
from robotwork.registry.importer import import_document
from robotwork.registry.models import Episode, Flag, IngestJob, Recording, RecordingDay
from robotwork.registry.sources import read_document
from robotwork.store.telemetry import TelemetryStore

FORK = mp.get_context("fork")
START = int(datetime(2026, 9, 1, 2, tzinfo=UTC).timestamp()) * 10**9


@dataclass(frozen=True)
class Home:
    """A registry URL and a store root that processes share."""

    db_url: str
    store_root: str

    def intake(self, **kw: Any) -> Intake:
        engine = open_registry(self.db_url)
        return Intake(engine, TelemetryStore(self.store_root), load_policy(), actor="test", **kw)


def prepare(db_url: str, store_root: str) -> Home:
    """A home whose registry knows robot R-GD-1 (the province program of registry_docs)."""
    engine = open_registry(db_url)
    doc = read_document(write_json(province_program(), Path(store_root).parent / "gd.json"))
    report = import_document(engine, doc, load_policy(), actor="test")
    assert report.ok, report
    engine.dispose()
    return Home(db_url, store_root)


def recording(folder: Path, seed: int, *, states: int = 20_000) -> Path:
    """A ROS 2 MCAP of R-GD-1, different bytes for every seed."""
    content = synthetic_content(states=states, joints=16, start_ns=START + seed * 10**12, seed=seed)
    content.identity = {"robot_serial": "R-GD-1"}
    return write_ros2_mcap(folder / f"rec-{seed}.mcap", content)


def _take(home: Home, path: str, delay: float, results: Any, kill_at: str | None) -> None:
    time.sleep(delay)

    def on_step(step: str, _recording_id: str) -> None:
        if step == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    rows_seen = [0]

    def on_rows(n: int) -> None:
        rows_seen[0] += n
        if kill_at == "writing" and rows_seen[0] > 5_000:
            os.kill(os.getpid(), signal.SIGKILL)

    result = home.intake(on_step=on_step).take(Path(path), on_rows=on_rows)
    results.put(result.status)


def run_processes(
    home: Home,
    path: Path,
    delays: list[float],
    *,
    kill_at: str | None = None,
    kill_after: float | None = None,
) -> list[str]:
    """Ingest `path` from one forked process per delay; return the statuses of those that ended
    (a process killed by `kill_at` or after `kill_after` seconds reports nothing)."""
    results = FORK.Queue()
    procs = [FORK.Process(target=_take, args=(home, str(path), d, results, kill_at)) for d in delays]
    for p in procs:
        p.start()
    if kill_after is not None:
        time.sleep(kill_after)
        for p in procs:
            if p.is_alive():
                os.kill(p.pid, signal.SIGKILL)  # type: ignore[arg-type]
    for p in procs:
        p.join(timeout=300)
        assert not p.is_alive(), "an ingest process hung"
    out = []
    while not results.empty():
        out.append(results.get())
    return out


def snapshot(engine: Engine, store: TelemetryStore) -> dict[str, Any]:
    """Everything a figure is made of: recordings and their rows, derived rows, flags, jobs,
    the robot figures as of the recording's day, and the rows the store holds."""
    with Session(engine) as session:
        recs = {
            r.recording_id: (r.robot_serial, r.messages, r.rows, sorted(r.files))
            for r in session.scalars(select(Recording))
        }
        days = sorted(
            tuple(getattr(d, c.name) for c in RecordingDay.__table__.columns)
            for d in session.scalars(select(RecordingDay))
        )
        episodes = sorted(
            (e.recording_id, e.start_ns, e.end_ns, e.task, e.outcome)
            for e in session.scalars(select(Episode))
        )
        flags = sorted((f.recording_id, f.rule) for f in session.scalars(select(Flag)))
        jobs = sorted((j.recording_id, j.state, j.claim) for j in session.scalars(select(IngestJob)))
        n_days = session.scalar(select(func.count()).select_from(RecordingDay))
    stored = {
        rid: sum(
            pq.ParquetFile(store.files.path(rel)).metadata.num_rows for rel in store.recording_files(rid)
        )
        for rid in recs
    }
    as_of = datetime(2026, 11, 30).date()
    figures = metrics(engine, load_policy(), as_of, "robot")
    return {
        "recordings": recs,
        "days": days,
        "n_days": n_days,
        "episodes": episodes,
        "flags": flags,
        "jobs": jobs,
        "stored_rows": stored,
        "figures": figures,
    }
