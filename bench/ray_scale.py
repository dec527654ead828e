"""Ingest and rebuild spread over Ray workers, each against one process in the same run.

    .venv/bin/python bench/ray_scale.py [--db URL] [--files 16] [--messages 100000] [--robots 8]

(c) `--files` CDR recordings (32 joints) of `--robots` robots ingested into a fresh home on
    PostgreSQL (`--db`, a schema of its own): by one process (the CLI's loop), then as Ray tasks
    on a local Ray of 1 and of 2 CPUs; frames/s in total, the ratio to one process, and
    frames/s per core against the national fleet's ~167,000 frames/s.
(d) `rebuild` of that home: serial, then with summaries as Ray tasks (2 CPUs); the ratio.
Neither counts starting Ray and its workers: before the clock starts, every worker has imported
robotwork and opened the home, as the one process has (a cluster does this once, not per file).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from registry_docs import gd_fleet, write_json  # noqa: E402
from workload import PG, Schemas, cdr_recordings  # noqa: E402

from robotwork.cluster import Home, Runner, ingest_files, parallel_summaries  # noqa: E402
from robotwork.evidence.derived import rebuild_all  # noqa: E402
from robotwork.ingest.pipeline import Overrides  # noqa: E402
from robotwork.policy import load_policy  # noqa: E402
from robotwork.registry.db import open_registry  # noqa: E402
from robotwork.registry.importer import import_document  # noqa: E402
from robotwork.registry.sources import read_document  # noqa: E402

FLEET_FRAMES_PER_S = 167_000


def _home(schemas: Schemas, work: Path, robots: int) -> Home:
    db_url = schemas.fresh()
    work.mkdir(parents=True)
    engine = open_registry(db_url)
    doc = read_document(write_json(gd_fleet(robots), work / "gd.json"))
    assert import_document(engine, doc, load_policy(), actor="bench").ok
    engine.dispose()
    return Home(db_url, str(work / "telemetry"), None, "bench")


def _opened(home: Home) -> int:
    """Open the home in this worker (imports, registry, intake) and hold the worker a moment,
    so the next warm-up task lands on another worker."""
    home.intake()
    time.sleep(1.0)
    return os.getpid()


def _warm(home: Home, cpus: int) -> None:
    runner = Runner(ray=True)
    pids = set(runner.map(_opened, [(home,)] * cpus * 2))
    assert len(pids) >= cpus, f"only {len(pids)} Ray worker(s) warmed for {cpus} CPUs"


def _ingest(home: Home, files: list[Path], runner: Runner) -> float:
    started = time.perf_counter()
    results = ingest_files(home, files, Overrides(), runner)
    assert all(r.status == "ingested" for r in results), results
    return time.perf_counter() - started


def _rebuild(home: Home, runner: Runner | None) -> float:
    engine, store, policy = home.open()
    summaries = parallel_summaries(home, runner) if runner else None
    started = time.perf_counter()
    rebuild_all(engine, store, policy, summaries=summaries)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=PG)
    parser.add_argument("--files", type=int, default=16)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--robots", type=int, default=8)
    args = parser.parse_args()
    import ray

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = cdr_recordings(work, args.files, args.messages, args.robots)
        frames = args.files * args.messages
        schemas = Schemas(args.db)
        home = _home(schemas, work / "one", args.robots)
        home.intake()
        base = frames / _ingest(home, files, Runner())
        share = base / FLEET_FRAMES_PER_S
        print(f"(c) one process: {base:,.0f} frames/s, {share:.2f} of the fleet's rate per core")
        serial = _rebuild(home, None)
        for cpus in (1, 2):
            ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
            other = _home(schemas, work / f"ray{cpus}", args.robots)
            _warm(other, cpus)
            rate = frames / _ingest(other, files, Runner(ray=True))
            print(
                f"(c) Ray, {cpus} CPU(s): {rate:,.0f} frames/s, {rate / base:.2f}x one process, "
                f"{rate / cpus:,.0f} frames/s per core"
            )
            if cpus == 2:
                parallel = _rebuild(other, Runner(ray=True))
                ratio = serial / parallel
                print(f"(d) rebuild: serial {serial:.1f} s, Ray (2 CPUs) {parallel:.1f} s, {ratio:.2f}x")
            ray.shutdown()
        schemas.drop()


if __name__ == "__main__":
    main()
