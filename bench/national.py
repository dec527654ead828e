"""The national program at full size: figures served while recordings stream in, each against a baseline.

    .venv/bin/robotwork --home H [--db URL] simulate --robots 10000 --days 90 \
        --raw-robots 0 --until 2026-11-20
    .venv/bin/python bench/national.py --home H [--db URL] --as-of 2026-11-19 [--seconds 30]

On the simulated program, in one run:
  (a) `robotwork serve` in a child process; 8 clients GET / (the national page) and
      /api/v1/metrics/national while a writer streams new recordings in (a daily summary and
      `count_recording`, 4 a second, plus real MCAP uploads through POST /api/v1/recordings):
      p50/p99 latency; baseline: the same figures made from scratch (every stored view dropped,
      as every request paid before figures were kept), timed in this process;
  (b) time from a new recording (summary written, `count_recording`) to the national figure that
      includes it, against the from-scratch remake;
  (e) peak Python memory (tracemalloc) of the from-scratch remake and of one count_recording;
  (f) start-up: an ingest process's first replay lookup (a query of the registry's fingerprint
      table) and the web app built, timed here; bench/startup.py compares them at 1,000 and
      300,000 stored recordings in new processes.
(c) and (d), ingest and rebuild with Ray workers, are measured by bench/ray_scale.py.
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))


def _engine(home: Path, db: str | None) -> Engine:
    from robotwork.registry.db import open_registry, sqlite_url

    return open_registry(db or sqlite_url(home))


def _new_recording(engine: Engine, policy, serial: str, day: date, n: int) -> None:  # type: ignore[no-untyped-def]
    """One more recording of a simulated robot (a worked shift's summary), counted as ingest's
    last step counts it."""
    from robotwork.demo.national import _summaries
    from robotwork.evidence.standing import count_recording
    from robotwork.registry.models import Recording, RecordingDay

    seed = n
    recordings, rows = next(_summaries([serial], [day], policy, seed, datetime.now(UTC)))
    while not rows:  # the robot's habits gave it the day off: another draw
        seed += 1_000_003
        recordings, rows = next(_summaries([serial], [day], policy, seed, datetime.now(UTC)))
    rid = uuid.uuid4().hex * 2
    recordings[0]["recording_id"] = rows[0]["recording_id"] = rid
    recordings[0]["start_ns"] += (n % 3600) * 10**9  # a later shift of the same day
    with engine.begin() as conn:
        conn.execute(insert(Recording), recordings)
        conn.execute(insert(RecordingDay), rows)
    count_recording(engine, policy, rid)


def _credentials(engine: Engine) -> tuple[str, str, str]:
    """A ministry token, a device token and its robot (one of the simulated raw robots)."""
    from robotwork.accounts import add_user, create_token
    from robotwork.registry.models import Robot

    name = f"bench-{uuid.uuid4().hex[:8]}"
    add_user(engine, name, "bench-password", "ministry")
    with engine.connect() as conn:
        robot = conn.scalar(select(Robot.serial).order_by(Robot.serial))
    return create_token(engine, username=name), create_token(engine, robot=robot), str(robot)


def _national(engine: Engine, policy, as_of: date) -> dict:  # type: ignore[no-untyped-def]
    from robotwork.evidence.metrics import metrics

    return metrics(engine, policy, as_of, "national")["rows"][0]


def _scratch(engine: Engine, policy, as_of: date) -> float:  # type: ignore[no-untyped-def]
    from robotwork.evidence.standing import recount_all
    from robotwork.read.national import national as national_view

    recount_all(engine)
    t0 = time.perf_counter()
    national_view(engine, policy, as_of)
    return time.perf_counter() - t0


def _latency(engine: Engine, policy, args, serials: list[str]) -> None:  # type: ignore[no-untyped-def]
    from api import _recordings, _serve

    ministry, device, serial = _credentials(engine)
    proc = _serve(args.home, args.port) if args.db is None else _serve_db(args)
    stop = threading.Event()  # the writer stops with the bench, whatever happens
    streamed = [0]

    def stream() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            _new_recording(
                engine, policy, serials[n % len(serials)], args.as_of - timedelta(days=n % 20), 5000 + n
            )
            streamed[0] += 1
            time.sleep(0.25)

    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=300) as client,
        ):
            files = _recordings(Path(tmp), serial, 20)
            h = {"Authorization": f"Bearer {ministry}"}
            client.get(f"/api/v1/metrics/national?as_of={args.as_of}", headers=h)  # the view made once
            pages = (
                ("GET / (national page)", "/"),
                ("GET /api/v1/metrics/national", "/api/v1/metrics/national"),
            )[2 - args.http_pages :]
            print("  HTTP, nothing written meanwhile:")
            for label, path in pages:
                _timed(
                    label,
                    lambda path=path: client.get(f"{path}?as_of={args.as_of}", headers=h),
                    args.requests,
                )
            writer = threading.Thread(target=stream, daemon=True)
            writer.start()

            def upload() -> None:
                with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=300) as own:
                    for p in files:
                        own.post(
                            "/api/v1/recordings",
                            headers={"Authorization": f"Bearer {device}"},
                            files={"file": (p.name, p.read_bytes())},
                        )

            uploads = threading.Thread(target=upload)
            uploads.start()
            print("  HTTP, while summaries are counted (4/s) and MCAP uploads are ingested:")
            for label, path in pages:
                _timed(
                    label,
                    lambda path=path: client.get(f"{path}?as_of={args.as_of}", headers=h),
                    args.requests,
                )
            uploads.join()
            print("  in process (the figures alone, no HTTP), while summaries are counted (4/s):")
            _in_process(engine, policy, args.as_of, args.requests)
            stop.set()
            writer.join()
            print(f"  ({streamed[0]} summaries counted, {len(files)} MCAP uploads ingested meanwhile)")
    finally:
        proc.terminate()
        proc.wait(10)


def _in_process(engine: Engine, policy, as_of: date, n: int) -> None:  # type: ignore[no-untyped-def]
    from robotwork.read.national import national as national_view

    class _Ok:
        status_code = 200

    def page() -> _Ok:
        national_view(engine, policy, as_of)
        return _Ok()

    def api() -> _Ok:
        _national(engine, policy, as_of)
        return _Ok()

    _timed("national page data", page, n)
    _timed("metrics --by national", api, n)


def _serve_db(args):  # type: ignore[no-untyped-def]
    import subprocess

    args.home.mkdir(parents=True, exist_ok=True)  # a PostgreSQL program may have no home folder yet
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/robotwork"),
            "--home",
            str(args.home),
            "--db",
            args.db,
            "serve",
            "--port",
            str(args.port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=(args.home / "bench-serve.log").open("wb"),
    )
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{args.port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def _timed(label: str, call, n: int) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    def one(_: int) -> float:
        t0 = time.perf_counter()
        response = call()
        assert response.status_code == 200, (label, response.status_code, response.text[:200])
        return time.perf_counter() - t0

    with ThreadPoolExecutor(8) as pool:
        latencies = sorted(pool.map(one, range(n)))
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"  {label:32} p50 {statistics.median(latencies) * 1000:8.1f} ms"
        f"   p99 {p99 * 1000:8.1f} ms   ({n} requests, 8 clients)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument(
        "--db", default=None, help="the registry URL given to simulate (default: SQLite in the home)"
    )
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--http-pages", type=int, choices=(1, 2), default=2, help="1: the API only")
    args = parser.parse_args()

    import numpy as np
    from sqlalchemy.orm import Session

    from robotwork.evidence import fingerprint_index
    from robotwork.policy import load_policy
    from robotwork.registry.models import Recording, RecordingDay, Robot
    from robotwork.web.app import create_app
    from robotwork.web.settings import Settings

    engine, policy = _engine(args.home, args.db), load_policy()
    with engine.connect() as conn:
        robots = conn.scalar(select(func.count()).select_from(Robot))
        days = conn.scalar(select(func.count()).select_from(RecordingDay))
        recordings = conn.scalar(select(func.count()).select_from(Recording))
        serials = list(
            conn.scalars(
                select(Robot.serial).where(Robot.serial.like("SIM-R-%")).order_by(Robot.serial).limit(500)
            )
        )
    print(f"{engine.dialect.name}: {robots:,} robots, {recordings:,} recordings, {days:,} daily summaries")

    scratch = [_scratch(engine, policy, args.as_of) for _ in range(2)]
    print(
        f"(baseline) every figure from scratch, national page data: {min(scratch) * 1000:8.1f} ms (best of 2)"
    )
    _latency(engine, policy, args, serials)

    waits = []
    before = _national(engine, policy, args.as_of)["recordings"]
    for n in range(20):
        t0 = time.perf_counter()
        _new_recording(engine, policy, serials[n], args.as_of - timedelta(days=1), 90_000 + n)
        row = _national(engine, policy, args.as_of)
        waits.append(time.perf_counter() - t0)
        # >=: uploads the server accepted may still be finishing
        assert row["recordings"] >= before + n + 1, "the national figure lacks the new recording"
    print(
        f"(b) new recording -> national figure with it: p50 {statistics.median(waits) * 1000:7.1f} ms,"
        f" max {max(waits) * 1000:7.1f} ms (20 recordings)"
    )

    tracemalloc.start()
    _scratch(engine, policy, args.as_of)
    remake = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    _new_recording(engine, policy, serials[0], args.as_of - timedelta(days=2), 99_999)
    _national(engine, policy, args.as_of)
    one = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"(e) peak Python memory: from-scratch remake {remake / 2**20:7.1f} MiB,"
        f" one count_recording + read {one / 2**20:7.1f} MiB"
    )

    query = np.random.default_rng(1).integers(0, 2**63 - 1, 340, dtype=np.int64).astype(np.uint64)
    t0 = time.perf_counter()
    with Session(engine) as session:
        fingerprint_index.shared_counts(session, query, excluding="none")
    t_index = time.perf_counter() - t0
    t0 = time.perf_counter()
    create_app(Settings(home=args.home, db_url=args.db))
    t_app = time.perf_counter() - t0
    print(
        f"(f) start-up: first replay lookup (340 fingerprints) {t_index * 1000:7.1f} ms,"
        f" web app built {t_app * 1000:7.1f} ms"
    )


if __name__ == "__main__":
    main()
