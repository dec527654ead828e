"""Ingest from several processes into one home, and /health while a server takes uploads.

    .venv/bin/python bench/concurrency.py [--db URL] [--files 8] [--messages 100000] [--uploads 100]

(a) N = 1, 2, 4 processes ingest distinct files (CDR, 32 joints) into one home whose registry is
    `--db` (default: the PostgreSQL server of the tests, a fresh schema) and whose store is a
    local folder; messages/s in total, and the ratio to one process in the same run.
(b) `robotwork serve` in a process of its own takes `--uploads` uploads at once (JSON MCAP) while
    a probe process asks /health every 20 ms: p50 and p99 latency, and the time until every
    upload is counted.
"""

import argparse
import multiprocessing as mp
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from ingest_procs import prepare  # noqa: E402
from recordings import synthetic_content, write_json_mcap  # noqa: E402
from workload import PG, START, Schemas, cdr_recordings  # noqa: E402

from robotwork.accounts import create_token  # noqa: E402
from robotwork.registry.db import open_registry  # noqa: E402
from robotwork.registry.models import IngestJob  # noqa: E402

PROBE = """
import pathlib, sys, time, httpx
url, stop = sys.argv[1], pathlib.Path(sys.argv[2])
with httpx.Client(base_url=url, timeout=30) as client:
    while not stop.exists():
        started = time.perf_counter()
        client.get("/health")
        print(time.perf_counter() - started, flush=True)
        time.sleep(0.02)
"""


def _ingest_all(db_url: str, store: str, paths: list[str]) -> None:
    from robotwork.intake import Intake
    from robotwork.policy import load_policy
    from robotwork.store.telemetry import TelemetryStore

    intake = Intake(open_registry(db_url), TelemetryStore(store), load_policy(), actor="bench")
    for path in paths:
        assert intake.take(Path(path)).status == "ingested"


def processes(db_url: str, work: Path, files: list[Path], n: int) -> float:
    """Seconds for `n` processes to ingest `files` (split among them) into one new home."""
    work.mkdir(parents=True, exist_ok=True)
    home = prepare(db_url, str(work / f"store-{n}"))
    shares = [[str(p) for p in files[i::n]] for i in range(n)]
    procs = [
        mp.get_context("fork").Process(target=_ingest_all, args=(home.db_url, home.store_root, s))
        for s in shares
    ]
    started = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    return time.perf_counter() - started


def uploads(work: Path, count: int) -> tuple[float, float, float]:
    """(p50, p99 of /health in s, seconds until all counted) for `count` uploads at once."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    db_url = f"sqlite:///{work / 'up.sqlite'}"
    (work / "up").mkdir()
    prepare(db_url, str(work / "up" / "telemetry"))
    engine = open_registry(db_url)
    token = create_token(engine, robot="R-GD-1")
    paths = []
    for i in range(count):
        content = synthetic_content(states=400, start_ns=START + i * 10**11, seed=i)
        content.identity = {"robot_serial": "R-GD-1"}
        paths.append(write_json_mcap(work / f"up-{i}.mcap", content))
    port = 18000 + int(time.time()) % 1000
    url, stop = f"http://127.0.0.1:{port}", work / "stop"
    server = subprocess.Popen(
        [sys.executable, "-m", "robotwork.cli.app", "--home", str(work / "up"), "--db", db_url, "serve"]
        + ["--port", str(port), "--insecure-cookies"]
    )
    try:
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        probe = subprocess.Popen(
            [sys.executable, "-c", PROBE, url, str(stop)], stdout=subprocess.PIPE, text=True
        )
        started = time.perf_counter()

        def post(path: Path) -> None:
            files = {"file": (path.name, path.read_bytes(), "application/octet-stream")}
            headers = {"Authorization": f"Bearer {token}"}
            httpx.post(f"{url}/api/v1/recordings", files=files, headers=headers, timeout=300)

        with ThreadPoolExecutor(count) as pool:
            list(pool.map(post, paths))
        while True:
            with Session(engine) as session:
                done = session.scalar(select(func.count()).where(IngestJob.state == "counted"))
            if done >= count:
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        stop.touch()
        latencies = [float(x) for x in probe.communicate()[0].split()]
    finally:
        server.terminate()
        server.wait()
    return statistics.median(latencies), statistics.quantiles(latencies, n=100)[98], elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=PG)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--uploads", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = cdr_recordings(work, args.files, args.messages)
        messages = args.files * (args.messages + 5)
        base = None
        schemas = Schemas(args.db)
        for n in (1, 2, 4):
            seconds = processes(schemas.fresh(), work / f"n{n}", files, n)
            rate = messages / seconds
            base = base or rate
            ratio = rate / base
            print(f"{n} process(es): {seconds:.1f} s, {rate:,.0f} msg/s in total, {ratio:.2f}x one process")
        schemas.drop()
        p50, p99, elapsed = uploads(work, args.uploads)
        print(
            f"/health during {args.uploads} concurrent uploads: p50 {p50 * 1e3:.0f} ms, "
            f"p99 {p99 * 1e3:.0f} ms; all counted after {elapsed:.1f} s"
        )


if __name__ == "__main__":
    main()
