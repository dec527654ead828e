"""Start-up of an ingest process and of the server against the number of stored recordings (issue 13 (f)).

    .venv/bin/python bench/startup.py [--small 1000] [--large 300000] [--fingerprints 20]
        [--db postgresql+psycopg://postgres@127.0.0.1:5432/test] [--runs 5]

Two registries are made, one with `--small` and one with `--large` recordings, each recording
with `--fingerprints` synthetic fingerprint rows (random 63-bit values, as the winnower's are).
Then, in a new Python process each time, timed from its first line (imports included, as a
real start pays them):
  ingest: the registry opened, an `Intake` made and its first replay lookup (the moment the
          old index read every recording's fingerprint file), 340 fingerprints (a 1 Hz hour);
  server: the web app built and started (lifespan) and its first GET /health answered.
The sizes take turns, `--runs` processes each; the median for each size is printed, with large /
small: a start-up independent of the number of recordings gives a ratio near 1. With `--db`, each size
gets a PostgreSQL schema of its own (dropped after); without, SQLite files in a temporary folder.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, create_engine, insert, text

ROOT = Path(__file__).resolve().parents[1]
_BATCH = 20_000

_INGEST = """
import sys, time
t0 = time.perf_counter()
import numpy as np
from sqlalchemy.orm import Session
from robotwork.evidence import fingerprint_index
from robotwork.intake import Intake
from robotwork.policy import load_policy
from robotwork.registry.db import open_registry
from robotwork.store.telemetry import TelemetryStore
engine = open_registry(sys.argv[1])
intake = Intake(engine, TelemetryStore(sys.argv[2]), load_policy(), actor="bench")
query = np.random.default_rng(1).integers(0, 2**63 - 1, 340, dtype=np.int64).astype(np.uint64)
with Session(engine) as session:
    fingerprint_index.shared_counts(session, query, excluding="none")
print(time.perf_counter() - t0)
"""

_SERVER = """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
from fastapi.testclient import TestClient
from robotwork.web.app import create_app
from robotwork.web.settings import Settings
app = create_app(Settings(home=Path(sys.argv[3]), db_url=sys.argv[1], store_url=sys.argv[2]))
with TestClient(app) as client:
    assert client.get("/health").status_code == 200
    print(time.perf_counter() - t0, flush=True)
"""


def _fill(engine: Engine, recordings: int, fingerprints: int) -> float:
    """`recordings` recordings of one robot, each with `fingerprints` random fingerprint rows."""
    from robotwork.evidence.fingerprint_index import rows
    from robotwork.registry.models import Organization, Recording, Robot

    t0 = time.perf_counter()
    rng = np.random.default_rng(0)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(insert(Organization), [{"code": "BENCH", "name": "bench", "kind": "manufacturer"}])
        conn.execute(insert(Robot), [{"serial": "BENCH-R", "model": "m", "manufacturer": "BENCH"}])
    for start in range(0, recordings, _BATCH):
        ids = [f"{n:064x}" for n in range(start, min(recordings, start + _BATCH))]
        recs = [
            {
                "recording_id": rid,
                "robot_serial": "BENCH-R",
                "source_name": "bench.mcap",
                "source_kind": "mcap",
                "start_ns": 0,
                "end_ns": 1,
                "messages": 1,
                "size_bytes": 1,
                "joint_names": [],
                "topics": {},
                "rows": {},
                "ingested_at": now,
                "ingested_by": "bench",
                "files": [],
            }
            for rid in ids
        ]
        values = rng.integers(0, 2**63 - 1, len(ids) * fingerprints, dtype=np.int64).tolist()
        fps = [{"fp": fp, "recording_id": ids[i // fingerprints]} for i, fp in enumerate(values)]
        with engine.begin() as conn:
            conn.execute(insert(Recording), recs)
            conn.execute(insert(rows), fps)
    if engine.dialect.name == "postgresql":
        # the statistics autovacuum keeps on a live registry: without them, right after a bulk
        # load, the planner guesses a sequential scan for `fp IN (...)` (measured: 205 ms
        # instead of 2 ms at 2 M rows)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE fingerprints"))
    return time.perf_counter() - t0


def _bytes_per_row(engine: Engine, rows: int) -> float:
    """Bytes the fingerprint table and its indexes take on disk, per row."""
    if engine.dialect.name == "postgresql":
        query = "SELECT pg_total_relation_size('fingerprints')"
    else:
        query = (
            "SELECT sum(pgsize) FROM dbstat WHERE name IN ('fingerprints', 'ix_fingerprints_recording_id')"
        )
    with engine.connect() as conn:
        return float(conn.scalar(text(query)) or 0) / max(rows, 1)


def _timed(script: str, args: list[str]) -> float:
    """One new process running `script`: the time from its first line to its answer (imports
    included; the interpreter's own start and the server's shutdown not)."""
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(done.stderr)
    return float(done.stdout.split()[-1])


def _registry(db: str | None, folder: Path, name: str) -> str:
    """A new empty registry of its own for one size: a SQLite file, or a PostgreSQL schema."""
    if db is None:
        return f"sqlite:///{folder / name / 'registry.sqlite'}"
    admin = create_engine(db)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {name}"))
    admin.dispose()
    return f"{db}?options=-csearch_path%3D{name}"


def _drop(db: str | None, name: str) -> None:
    if db is not None:
        admin = create_engine(db)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=300_000)
    parser.add_argument("--fingerprints", type=int, default=20, help="fingerprint rows per recording")
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (default: SQLite files)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from robotwork.registry.db import open_registry

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sizes = (args.small, args.large)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        homes: dict[int, list[str]] = {}
        try:
            for size in sizes:
                name = f"bench_startup_{size}"
                (folder / name).mkdir()
                url = _registry(args.db, folder, name)
                engine = open_registry(url)
                filled = _fill(engine, size, args.fingerprints)
                per_row = _bytes_per_row(engine, size * args.fingerprints)
                engine.dispose()
                print(
                    f"{engine.dialect.name}: {size:,} recordings, {size * args.fingerprints:,} fingerprint"
                    f" rows written in {filled:.1f} s, {per_row:.0f} bytes a row with its indexes"
                )
                homes[size] = [url, str(folder / name / "telemetry"), str(folder / name)]
            # the sizes take turns, so a change in the machine's load falls on both alike
            times: dict[tuple[int, str], list[float]] = {(n, k): [] for n in sizes for k in ("i", "s")}
            for _ in range(args.runs):
                for size in sizes:
                    times[size, "i"].append(_timed(_INGEST, homes[size][:2]))
                    times[size, "s"].append(_timed(_SERVER, homes[size]))
        finally:
            for size in sizes:
                _drop(args.db, f"bench_startup_{size}")
    median = {key: statistics.median(values) for key, values in times.items()}
    for size in sizes:
        print(
            f"{size:>9,} recordings: ingest process start-up + first replay lookup"
            f" {median[size, 'i'] * 1000:6.0f} ms, server start-up + first GET /health"
            f" {median[size, 's'] * 1000:6.0f} ms"
        )
    print(
        f"large / small (median of {args.runs} processes each, sizes alternating):"
        f" ingest {median[args.large, 'i'] / median[args.small, 'i']:.2f}x,"
        f" server {median[args.large, 's'] / median[args.small, 's']:.2f}x,"
        f" for {args.large / args.small:,.0f}x the recordings"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
