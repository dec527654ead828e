"""Ingest and rebuild spread over Ray workers, each against one process in the same run.

    .venv/bin/python bench/ray_scale.py [--db URL] [--files 8] [--messages 100000]

(c) `--files` CDR recordings (32 joints) ingested into a fresh home on PostgreSQL (`--db`, a
    schema of its own): by one process (the CLI's loop), then as Ray tasks on a local Ray of 1
    and of 2 CPUs; frames/s in total, the ratio to one process, and frames/s per core against
    the national fleet's ~167,000 frames/s.
(d) `rebuild` of that home: serial, then with summaries as Ray tasks (2 CPUs); the ratio.
Ray's own start (seconds on a busy 2-core machine) is not counted in either.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from ingest_procs import prepare  # noqa: E402
from workload import PG, Schemas, cdr_recordings  # noqa: E402

from robotwork.cluster import Home, Runner, ingest_files, parallel_summaries  # noqa: E402
from robotwork.evidence.derived import rebuild_all  # noqa: E402
from robotwork.ingest.pipeline import Overrides  # noqa: E402

FLEET_FRAMES_PER_S = 167_000


def _home(schemas: Schemas, work: Path) -> Home:
    db_url = schemas.fresh()
    work.mkdir(parents=True)
    prepared = prepare(db_url, str(work / "telemetry"))
    return Home(prepared.db_url, prepared.store_root, None, "bench")


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
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    import ray

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = cdr_recordings(work, args.files, args.messages)
        frames = args.files * args.messages
        schemas = Schemas(args.db)
        home = _home(schemas, work / "one")
        base = frames / _ingest(home, files, Runner())
        share = base / FLEET_FRAMES_PER_S
        print(f"(c) one process: {base:,.0f} frames/s, {share:.2f} of the fleet's rate per core")
        serial = _rebuild(home, None)
        for cpus in (1, 2):
            ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
            warm = _home(schemas, work / f"warm{cpus}")
            _ingest(warm, files[:1], Runner(ray=True))  # start the workers (imports): not counted
            other = _home(schemas, work / f"ray{cpus}")
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
