"""100 device uploads at once over HTTP to a real server: every recording counted once, a
retried upload never stored twice, and /health answering quickly meanwhile."""

import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from livesrv import free_port
from recordings import synthetic_content, write_json_mcap
from registry_docs import province_program, write_json
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from robotwork.accounts import create_token
from robotwork.policy import load_policy
from robotwork.registry.db import open_registry
from robotwork.registry.importer import import_file
from robotwork.registry.models import IngestJob, Recording

START = int(datetime(2026, 9, 1, 2, tzinfo=UTC).timestamp()) * 10**9
UPLOADS = 100
PROBE = """
import pathlib, sys, time, httpx
url, stop = sys.argv[1], pathlib.Path(sys.argv[2])
with httpx.Client(base_url=url, timeout=10) as client:
    while not stop.exists():
        started = time.perf_counter()
        assert client.get("/health").status_code == 200
        print(time.perf_counter() - started, flush=True)
        time.sleep(0.02)
"""


def test_hundred_concurrent_uploads_are_counted_once_while_health_answers(
    db_url: str, tmp_path: Path
) -> None:
    engine = open_registry(db_url)
    import_file(engine, write_json(province_program(), tmp_path / "gd.json"), load_policy(), actor="test")
    token = create_token(engine, robot="R-GD-1")
    headers = {"Authorization": f"Bearer {token}"}
    paths = []
    for i in range(UPLOADS):
        content = synthetic_content(states=400, start_ns=START + i * 10**11, seed=i)
        content.identity = {"robot_serial": "R-GD-1"}
        paths.append(write_json_mcap(tmp_path / f"up-{i}.mcap", content))
    stop = tmp_path / "stop-probing"
    with served(tmp_path / "home", db_url) as url:

        def upload(path: Path) -> dict:
            with httpx.Client(base_url=url, timeout=120) as client:
                files = {"file": (path.name, path.read_bytes(), "application/octet-stream")}
                response = client.post("/api/v1/recordings", files=files, headers=headers)
                assert response.status_code in (200, 202), response.text
                return response.json()

        # the probe runs in a process of its own: among the 100 upload threads of this one it
        # would measure this interpreter's lock, not the server
        prober = subprocess.Popen(
            [sys.executable, "-c", PROBE, url, str(stop)], stdout=subprocess.PIPE, text=True
        )
        with ThreadPoolExecutor(max_workers=UPLOADS) as pool:
            answers = list(pool.map(upload, [*paths, paths[0], paths[0], paths[1]]))  # and retries
        deadline = time.monotonic() + 600
        while _counted(engine) < UPLOADS and time.monotonic() < deadline:
            time.sleep(0.2)
        stop.touch()
        latencies = [float(line) for line in prober.communicate(timeout=60)[0].split()]
        assert prober.returncode == 0
    assert _counted(engine) == UPLOADS
    assert len({a["recording_id"] for a in answers}) == UPLOADS  # retries got the same ids
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Recording)) == UPLOADS
    # a generous bound here (the machine may be busy with other tests); the aim, 200 ms, is
    # measured by bench/concurrency.py on a quiet machine (docs/performance.md)
    p50, p99 = statistics.median(latencies), statistics.quantiles(latencies, n=100)[98]
    print(f"/health during {UPLOADS} uploads: {len(latencies)} probes, ", end="")
    print(f"p50 {p50 * 1e3:.0f} ms, p99 {p99 * 1e3:.0f} ms")
    assert p99 < 2.0


@contextmanager
def served(
    home: Path, db_url: str, *, options: list[str] | None = None, serve_options: list[str] | None = None
) -> Iterator[str]:
    """`robotwork serve` in a process of its own, as in production (clients here would
    otherwise share its interpreter lock)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "robotwork.cli.app", "--home", str(home), "--db", db_url, *(options or [])]
        + ["serve", "--port", str(port), "--insecure-cookies", *(serve_options or [])],
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _counted(engine) -> int:
    with Session(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(IngestJob).where(IngestJob.state == "counted"))
            or 0
        )
