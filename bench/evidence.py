"""Evidence for 1,000 robots x 30 days: from scratch, incrementally, and a bare DuckDB baseline.

    .venv/bin/python bench/evidence.py [--robots 1000] [--days 30]

Builds a registry with `--robots` robots and one derived `recording_days` row per robot per day
(the summaries ingest keeps), then times in one process:
  (a) from scratch: every figure (robot, scenario, province, national rows) from those summaries;
  (b) incrementally: one new recording is ingested, summarized into the derived tables, and every
      figure is computed again;
  (c) the baseline: a bare DuckDB aggregate over the same summaries written as Parquet files
      (operating hours, worked days and routine operation per robot, the core of the figures).
"""

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import insert

AS_OF = date(2026, 11, 20)


def _registry(home: Path, robots: int):  # type: ignore[no-untyped-def]
    from robotwork.policy import load_policy
    from robotwork.registry.db import open_registry, sqlite_url
    from robotwork.registry.importer import import_document
    from robotwork.registry.sources import document_from_rows

    engine, policy = open_registry(sqlite_url(home)), load_policy()
    rows = {
        "organizations": [
            {"code": "U-1", "name": "User", "kind": "user"},
            {"code": "M-1", "name": "Maker", "kind": "manufacturer"},
        ],
        "sites": [
            {
                "site_id": f"S-{i}",
                "name": f"Site {i}",
                "province": "CN-GD",
                "city": ("Shenzhen", "Guangzhou", "Foshan")[i % 3],
                "user_org": "U-1",
            }
            for i in range(30)
        ],
        "scenarios": [
            {
                "scenario_id": f"SC-{i}",
                "title": f"Line {i}",
                "domain": "service",
                "nominated_by": "CN-GD",
                "site_id": f"S-{i % 30}",
                "user_org": "U-1",
                "tasks": ["pick"],
                "nominated_on": "2026-07-01",
            }
            for i in range(100)
        ],
        "robots": [
            {"serial": f"R-{i:05d}", "model": "H1", "manufacturer": "M-1", "built_on": "2026-01-01"}
            for i in range(robots)
        ],
        "deployments": [
            {
                "robot_serial": f"R-{i:05d}",
                "scenario_id": f"SC-{i % 100}",
                "site_id": f"S-{i % 30}",
                "start_date": "2026-08-01",
            }
            for i in range(robots)
        ],
    }
    report = import_document(engine, document_from_rows(home / "bench.json", rows), policy, actor="bench")
    assert report.ok, report.problems[:3]
    return engine, policy


def _summaries(robots: int, days: int) -> list[dict]:
    rng = random.Random(0)
    out = []
    for i in range(robots):
        for d in range(days):
            day = AS_OF - timedelta(days=d)
            worked = rng.random() < 0.7
            hours = rng.uniform(2.0, 6.0) if worked else rng.uniform(0, 1.5)
            tasks = rng.randint(10, 40) if worked else 0
            ok = int(tasks * rng.uniform(0.7, 1.0))
            out.append(
                {
                    "recording_id": f"{i:032x}{d:032x}",
                    "day": day,
                    "robot_serial": f"R-{i:05d}",
                    "autonomous_s": hours * 3600 * 0.8,
                    "teleoperated_s": hours * 3600 * 0.2,
                    "scripted_s": 0.0,
                    "idle_s": 1800.0,
                    "fault_s": 0.0,
                    "claimed_operating_s": hours * 3600,
                    "moving_minutes": int(hours * 60),
                    "tasks_started": tasks,
                    "tasks_succeeded": ok,
                    "tasks_failed": tasks - ok,
                    "tasks_aborted": 0,
                    "tasks_incomplete": 0,
                    "takeover": rng.randint(0, 3),
                    "correction": 0,
                    "estop": 0,
                    "assist": 0,
                }
            )
    return out


def _load(engine, summaries: list[dict]) -> None:  # type: ignore[no-untyped-def]
    from robotwork.registry.models import Recording, RecordingDay

    now = datetime.now(UTC)
    recordings = [
        {
            "recording_id": s["recording_id"],
            "robot_serial": s["robot_serial"],
            "source_name": "x",
            "source_kind": "mcap",
            "start_ns": 0,
            "end_ns": 0,
            "messages": 0,
            "size_bytes": 0,
            "joint_names": [],
            "topics": {},
            "rows": {},
            "files": [],
            "ingested_at": now,
            "ingested_by": "bench",
        }
        for s in summaries
    ]
    with engine.begin() as conn:
        conn.execute(insert(Recording), recordings)
        conn.execute(insert(RecordingDay), summaries)


BASELINE_SQL = """
WITH days AS (
  SELECT robot_serial, day,
         sum(autonomous_s + teleoperated_s + scripted_s) AS operating_s,
         sum(tasks_started) AS started
  FROM read_parquet(?) WHERE day BETWEEN ? AND ? GROUP BY robot_serial, day)
SELECT robot_serial, sum(operating_s) / 3600 AS operating_hours,
       count(*) FILTER (WHERE operating_s >= 7200 AND started >= 1) AS worked_days,
       count(*) FILTER (WHERE operating_s >= 7200 AND started >= 1) >= 15 AS in_routine_operation
FROM days GROUP BY robot_serial
"""


def _all_figures(engine, policy) -> dict:  # type: ignore[no-untyped-def]
    from robotwork.evidence.metrics import gather, national_level, org_level, robot_level, scenario_level

    ev = gather(engine, policy, AS_OF)
    return {
        "robot": robot_level(ev),
        "scenario": scenario_level(ev),
        "province": org_level(ev),
        "national": national_level(ev),
    }


def _one_new_recording(engine, policy, home: Path) -> None:  # type: ignore[no-untyped-def]
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from recordings import write_json_mcap
    from workdays import workdays

    from robotwork.intake import Intake
    from robotwork.store.telemetry import TelemetryStore

    path = write_json_mcap(home / "new.mcap", workdays("R-00000", [AS_OF - timedelta(days=1)]))
    result = Intake(engine, TelemetryStore(str(home / "telemetry")), policy, actor="bench").take(path)
    assert result.status == "ingested", result.error


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--robots", type=int, default=1000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        engine, policy = _registry(home, args.robots)
        summaries = _summaries(args.robots, args.days)
        _load(engine, summaries)
        pq.write_table(pa.Table.from_pylist(summaries), home / "recording_days.parquet")
        print(f"{args.robots:,} robots x {args.days} days = {len(summaries):,} daily summaries")
        t0 = time.perf_counter()
        figures = _all_figures(engine, policy)
        t_scratch = time.perf_counter() - t0
        t0 = time.perf_counter()
        _one_new_recording(engine, policy, home)
        _all_figures(engine, policy)
        t_incr = time.perf_counter() - t0
        start = AS_OF - timedelta(days=policy.routine_operation["window_days"] - 1)
        t0 = time.perf_counter()
        base = duckdb.sql(
            BASELINE_SQL.replace("?", "$1", 1).replace("?", "$2", 1).replace("?", "$3", 1),
            params=[str(home / "recording_days.parquet"), start, AS_OF],
        ).fetchall()
        t_base = time.perf_counter() - t0
        routine = sum(r["in_routine_operation"] for r in figures["robot"])
        assert routine == sum(1 for r in base if r[3]), "robotwork and the baseline disagree"
        print(f"robots in routine operation: {routine:,} (baseline agrees)")
        print(f"from scratch, every figure:          {t_scratch * 1000:8.1f} ms")
        print(f"incrementally (one new recording):   {t_incr * 1000:8.1f} ms")
        print(f"bare DuckDB aggregate (robot rows):  {t_base * 1000:8.1f} ms")
        print(f"ratio from-scratch / baseline:       {t_scratch / t_base:8.2f}x")
        print(f"ratio incremental / baseline:        {t_incr / t_base:8.2f}x")


if __name__ == "__main__":
    main()
