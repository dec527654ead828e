"""A killed ingest leaves no partial file visible, and the same command run again completes it."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
from recordings import synthetic_content, write_ros2_mcap
from registry_docs import province_program, write_json

START = int(datetime(2026, 9, 2, tzinfo=UTC).timestamp()) * 10**9


def robotwork(home: Path, *args: str) -> subprocess.Popen:
    code = "from robotwork.cli.app import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "--home", str(home), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def whole_files(store: Path) -> int:
    rows = 0
    for path in store.rglob("*.parquet"):
        if "_staging" not in path.parts and "derived" not in path.parts:
            rows += pq.ParquetFile(path).metadata.num_rows  # raises on a partial file
    return rows


def test_kill_at_several_points_then_complete(tmp_path):
    home = tmp_path / "home"
    assert robotwork(home, "import", str(write_json(province_program(), tmp_path / "gd.json"))).wait() == 0
    content = synthetic_content(states=150_000, joints=16, start_ns=START, commands=False)
    content.identity = {"robot_serial": "R-GD-1"}
    path = write_ros2_mcap(tmp_path / "big.mcap", content)
    for delay in (0.4, 0.9, 1.5, 2.2):
        proc = robotwork(home, "ingest", str(path), "--json")
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        rows = whole_files(home / "telemetry")
        listed = robotwork(home, "recordings", "list", "--json").communicate()[0]
        if [r for r in json.loads(listed) if r["state"] != "received"]:  # stored before the kill
            assert rows >= 150_000  # then every file is there
            break
    proc = robotwork(home, "ingest", str(path), "--json")
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert json.loads(out)["status"] in ("ingested", "duplicate")
    [recording] = json.loads(robotwork(home, "recordings", "list", "--json").communicate()[0])
    assert recording["rows"]["joint_states"] == 150_000
    assert whole_files(home / "telemetry") == sum(recording["rows"].values())
