"""Throughput and latency of the national page and of a recording upload, against /health.

    .venv/bin/robotwork --home /tmp/demo-home demo        # once: the demo program with its recordings
    .venv/bin/python bench/api.py --home /tmp/demo-home [--requests 400] [--uploads 40]

Starts `robotwork serve` on the demo home in a child process (so the load generator does not
share its interpreter), then, in one run, sends with 8 concurrent clients: GET /health (the
trivial endpoint of the same app: the baseline), GET / (the national page), GET
/api/v1/metrics/national, and POST /api/v1/recordings (distinct small MCAP files of one robot,
each fully ingested with its evidence). Prints requests/s and p50/p99 latency of each.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def _serve(home: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/robotwork"), "--home", str(home), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def _credentials(home: Path) -> tuple[str, str, str]:
    """A ministry token, a device token and its robot's serial, made in the demo registry."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from robotwork.accounts import add_user, create_token
    from robotwork.registry.db import open_registry, sqlite_url
    from robotwork.registry.models import Robot

    engine = open_registry(sqlite_url(home))
    add_user(engine, "bench-ministry", "bench-password", "ministry")
    with Session(engine) as session:
        robot = session.scalars(select(Robot.serial).order_by(Robot.serial)).first()
    return create_token(engine, username="bench-ministry"), create_token(engine, robot=robot), str(robot)


def _recordings(folder: Path, serial: str, count: int) -> list[Path]:
    from recordings import synthetic_content, write_json_mcap

    start = int((datetime.now(UTC) - timedelta(hours=3)).timestamp()) * 10**9
    paths = []
    for i in range(count):
        content = synthetic_content(states=600, joints=12, start_ns=start, seed=10_000 + i)
        content.identity = {"robot_serial": serial}
        paths.append(write_json_mcap(folder / f"bench-{i}.mcap", content))
    return paths


def _run(label: str, calls: list, workers: int = 8) -> None:
    def timed(call):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        response = call()
        assert response.status_code == 200, (label, response.status_code, response.text[:200])
        return time.perf_counter() - t0

    t0 = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        latencies = sorted(pool.map(timed, calls))
    wall = time.perf_counter() - t0
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"  {label:34} {len(calls) / wall:8.1f} req/s   p50 {statistics.median(latencies) * 1000:7.1f} ms"
        f"   p99 {p99 * 1000:7.1f} ms   ({len(calls)} requests)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--uploads", type=int, default=40)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    ministry, device, serial = _credentials(args.home)
    proc = _serve(args.home, args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        with tempfile.TemporaryDirectory() as tmp, httpx.Client(base_url=base, timeout=120) as client:
            files = _recordings(Path(tmp), serial, args.uploads)
            h = {"Authorization": f"Bearer {ministry}"}
            dh = {"Authorization": f"Bearer {device}"}
            login = client.post("/login", data={"username": "bench-ministry", "password": "bench-password"})
            cookies = dict(client.cookies) if login.status_code in (200, 303) else {}
            n = args.requests
            print(f"robotwork serve on {args.home}, 8 concurrent clients")
            _run("GET /health (baseline)", [lambda: client.get("/health")] * n)
            _run("GET / (national page)", [lambda: client.get("/", cookies=cookies, headers=h)] * n)
            _run(
                "GET /api/v1/metrics/national",
                [lambda: client.get("/api/v1/metrics/national", headers=h)] * n,
            )
            uploads = [
                lambda p=p: client.post(
                    "/api/v1/recordings", headers=dh, files={"file": (p.name, p.read_bytes())}
                )
                for p in files
            ]
            _run("POST /api/v1/recordings (upload)", uploads)
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
