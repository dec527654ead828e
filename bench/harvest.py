"""The harvest read at scale: `read.harvest` over a national number of task episodes.

    .venv/bin/python bench/harvest.py [--episodes 300000] [--runs 3] [--db URL]

Builds the demo registry (349 robots, no telemetry) in a temporary SQLite home, or on `--db`
(an empty PostgreSQL schema, say), adds one recording per robot and `--episodes` made-up task
episodes spread over the robots (five tasks, three outcomes, per-mode seconds drawn at random),
then times the ministry's harvest read (the /harvest page's and /api/v1/harvest's) twice: the
groups counted by the database (as after every change to the evidence) and the read as it is
served until the next change (the groups kept), after one warm-up read that computes the
evidence figures a server keeps. The load average is printed with the numbers.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, insert

from robotwork.access import ReadScope
from robotwork.accounts import Principal
from robotwork.demo.loader import load_demo_program
from robotwork.policy import load_policy
from robotwork.read import harvest as harvest_module
from robotwork.read.harvest import harvest
from robotwork.registry.db import open_registry, sqlite_url
from robotwork.registry.models import Episode, Recording

TASKS = ("pick tote", "inspect cracks", "load boards", "sort parcels", "weld seam")
_START_NS = 1_764_000_000_000_000_000


def add_episodes(engine: Engine, serials: list[str], count: int, seed: int = 0) -> None:
    """One recording per robot and `count` finished episodes on them, written in batches."""
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    recordings = [
        {
            "recording_id": f"bench-{s}",
            "robot_serial": s,
            "source_name": f"{s}.mcap",
            "source_kind": "mcap",
            "start_ns": _START_NS,
            "end_ns": _START_NS + count * 10**9,
            "messages": 0,
            "size_bytes": 0,
            "joint_names": [],
            "topics": [],
            "rows": {},
            "ingested_at": now,
            "ingested_by": "bench",
        }
        for s in serials
    ]
    with engine.begin() as conn:
        conn.execute(insert(Recording), recordings)
        for first in range(0, count, 50_000):
            batch = []
            for i in range(first, min(first + 50_000, count)):
                serial, start = rnd.choice(serials), _START_NS + i * 10**9
                modes = {
                    m: rnd.random() * 300
                    for m in ("autonomous", "teleoperated", "scripted")
                    if rnd.random() < 0.7
                }
                batch.append(
                    {
                        "recording_id": f"bench-{serial}",
                        "robot_serial": serial,
                        "start_ns": start,
                        "end_ns": start + rnd.randint(60, 900) * 10**9,
                        "task": rnd.choice(TASKS),
                        "outcome": rnd.choice(("success",) * 8 + ("failure", "abort")),
                        "mode_seconds": modes,
                    }
                )
            conn.execute(insert(Episode), batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="a registry database URL (default: SQLite in a temporary home)")
    opts = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-harvest-"))
    engine, policy = open_registry(opts.db or sqlite_url(home)), load_policy()
    program, _ = load_demo_program(engine, policy, seed=0, actor="bench")
    add_episodes(engine, [r["serial"] for r in program["robots"]], opts.episodes)
    scope = ReadScope(Principal("user", "bench", "ministry"), None)
    day = date.today()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    found = harvest(engine, policy, day, scope)  # warm-up: the evidence figures, kept by a server
    counted, kept = [], []
    for _ in range(opts.runs):
        started = time.monotonic()
        groups = harvest_module._groups(engine)
        counted.append(time.monotonic() - started)
        started = time.monotonic()
        harvest(engine, policy, day, scope)
        kept.append(time.monotonic() - started)
    engine.dispose()
    print(f"harvest over {found.episodes:,} episodes of {found.robots} robots ({len(groups):,} groups):")
    for name, times in (("counted (after a change)", counted), ("kept (until the next change)", kept)):
        print(f"  {name}: median {statistics.median(times):.2f} s, best {min(times):.2f} s")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    sys.exit(main())
