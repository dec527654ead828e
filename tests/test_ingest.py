"""`robotwork ingest`: each input kind end to end, refusals, duplicates, the sample bags."""

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from recordings import (
    chunk_index,
    control_mode,
    synthetic_content,
    write_json_mcap,
    write_ros2_mcap,
    write_rosbag2,
)
from registry_docs import province_program, write_json
from typer.testing import CliRunner

from robotwork.cli.app import app

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "rosbag2"
START = int(datetime(2026, 9, 1, 2, tzinfo=UTC).timestamp()) * 10**9
IDENTITY = {"robot_serial": "R-GD-1"}


@pytest.fixture
def cli(db_url, tmp_path):
    """robotwork on a registry that knows robot R-GD-1 (built 2026-01-10, deployed at SC-GD-000)."""
    home = tmp_path / "home"

    def _run(*args: str):
        return CliRunner().invoke(app, ["--home", str(home), "--db", db_url, *args])

    assert _run("import", str(write_json(province_program(), tmp_path / "gd.json"))).exit_code == 0
    _run.store = home / "telemetry"
    return _run


def visible_files(store: Path) -> dict[str, int]:
    """Every published Parquet file and its row count (opening it proves it is whole)."""
    if not store.exists():
        return {}
    return {
        str(p.relative_to(store)): pq.ParquetFile(p).metadata.num_rows
        for p in store.rglob("*.parquet")
        if not {"_staging", "derived"} & set(p.parts)
    }


def ingest_json(cli, *paths: Path, extra: tuple[str, ...] = ()) -> list[dict]:
    result = cli("ingest", *map(str, paths), *extra, "--json")
    return [json.loads(line) for line in result.stdout.splitlines()]


def content(**kw):
    c = synthetic_content(states=600, joints=7, start_ns=START, **kw)
    c.identity = dict(IDENTITY)
    return c


@pytest.mark.parametrize("kind", ["json", "ros2", "rosbag2"])
def test_each_kind_is_ingested_once(cli, tmp_path, kind):
    c = content()
    if kind == "json":
        path = write_json_mcap(tmp_path / "r.mcap", c)
    elif kind == "ros2":
        path = write_ros2_mcap(tmp_path / "r.mcap", c)
    else:
        path = write_rosbag2(tmp_path / "bag", c, files=3, custom_data=IDENTITY)
    [result] = ingest_json(cli, path)
    assert result["status"] == "ingested", result
    assert result["robot_serial"] == "R-GD-1" and result["messages"] == 600 + 300 + 5
    assert set(result) == {"path", "status", "recording_id", "robot_serial", "messages", "error", "state"}
    shown = json.loads(cli("recordings", "show", result["recording_id"][:10], "--json").stdout)
    assert shown["scenario_id"] == "SC-GD-000" and shown["site_id"] == "S-GD-1"
    assert shown["rows"]["joint_states"] == 600 and shown["rows"]["control_mode"] == 2
    assert shown["joint_names"] == c.joint_names and shown["files"]
    files = visible_files(cli.store)
    assert sum(n for f, n in files.items() if f.startswith("joint_states/")) == 600
    assert any("date=2026-09-01/robot=R-GD-1" in f for f in files)
    [again] = ingest_json(cli, path)
    assert again["status"] == "duplicate" and again["recording_id"] == result["recording_id"]
    assert visible_files(cli.store) == files


def test_same_content_under_another_name_is_a_duplicate(cli, tmp_path):
    path = write_json_mcap(tmp_path / "a.mcap", content())
    copy = tmp_path / "renamed-copy.mcap"
    shutil.copy(path, copy)
    first, second = ingest_json(cli, path, copy)
    assert (first["status"], second["status"]) == ("ingested", "duplicate")
    listed = json.loads(cli("recordings", "list", "--json").stdout)
    assert len(listed) == 1


def refused(cli, tmp_path, path: Path, *extra: str) -> dict:
    before = visible_files(cli.store)
    result = cli("ingest", str(path), *extra, "--json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["status"] == "rejected" and out["recording_id"] is None
    assert str(path) in out["error"] and "\n" not in out["error"]
    assert visible_files(cli.store) == before
    assert json.loads(cli("recordings", "list", "--json").stdout) == []
    staging = cli.store / "_staging"
    assert not staging.exists() or not any(staging.iterdir())
    return out


def test_unknown_robot(cli, tmp_path):
    c = content()
    c.identity = {"robot_serial": "R-NOBODY"}
    out = refused(cli, tmp_path, write_json_mcap(tmp_path / "r.mcap", c))
    assert "unknown robot 'R-NOBODY'" in out["error"]


def test_no_identity_anywhere(cli, tmp_path):
    c = content()
    c.identity = None
    out = refused(cli, tmp_path, write_json_mcap(tmp_path / "r.mcap", c))
    assert "no robot serial" in out["error"]


def test_command_line_identity_wins(cli, tmp_path):
    c = content()
    c.identity = {"robot_serial": "R-NOBODY"}
    [out] = ingest_json(cli, write_json_mcap(tmp_path / "r.mcap", c), extra=("--robot", "R-GD-1"))
    assert out["status"] == "ingested" and out["robot_serial"] == "R-GD-1"


def test_future_timestamps(cli, tmp_path):
    c = synthetic_content(states=100, start_ns=int(datetime(2031, 1, 1, tzinfo=UTC).timestamp()) * 10**9)
    c.identity = dict(IDENTITY)
    out = refused(cli, tmp_path, write_ros2_mcap(tmp_path / "r.mcap", c))
    assert "is in the future" in out["error"] and "message 0 on /" in out["error"]


def test_before_the_robot_was_built(cli, tmp_path):
    c = synthetic_content(states=100, start_ns=int(datetime(2025, 12, 1, tzinfo=UTC).timestamp()) * 10**9)
    c.identity = dict(IDENTITY)
    out = refused(cli, tmp_path, write_json_mcap(tmp_path / "r.mcap", c))
    assert "before the robot was built" in out["error"]


def test_non_json_and_unknown_mode(cli, tmp_path):
    c = content()
    c.events.append(control_mode(START + 5, "dancing"))
    out = refused(cli, tmp_path, write_json_mcap(tmp_path / "mode.mcap", c))
    assert "dancing" in out["error"]
    c = content()
    c.events[0].payload = "{not json"
    out = refused(cli, tmp_path, write_ros2_mcap(tmp_path / "nonjson.mcap", c))
    assert "/robotwork/control_mode" in out["error"]


def test_truncated_and_garbage_files(cli, tmp_path):
    path = write_json_mcap(tmp_path / "whole.mcap", content(), chunk_size=4096)
    data = path.read_bytes()
    cut = tmp_path / "cut.mcap"
    cut.write_bytes(data[: len(data) * 2 // 3])
    refused(cli, tmp_path, cut, "--robot", "R-GD-1")
    junk = tmp_path / "junk.mcap"
    junk.write_bytes(b"\x00garbage" * 100)
    refused(cli, tmp_path, junk, "--robot", "R-GD-1")


def test_bad_crc_leaves_the_store_unchanged(cli, tmp_path):
    path = write_json_mcap(tmp_path / "crc.mcap", content(), compression="none", chunk_size=4096)
    chunk = chunk_index(path, 2)
    data = bytearray(path.read_bytes())
    data[chunk.chunk_start_offset + chunk.chunk_length // 2] ^= 0x10
    path.write_bytes(bytes(data))
    out = refused(cli, tmp_path, path)
    assert "CRC mismatch" in out["error"] and "byte offset" in out["error"]


def test_stored_values_equal_the_recording(cli, tmp_path):
    c = content()
    [result] = ingest_json(cli, write_ros2_mcap(tmp_path / "r.mcap", c))
    assert result["status"] == "ingested"
    sql = "SELECT time_ns, position, velocity, effort FROM joint_states ORDER BY time_ns"
    stored = json.loads(cli("query", sql, "--json").stdout)
    assert [r["time_ns"] for r in stored] == [s.time_ns for s in c.joint_states]
    assert [r["position"] for r in stored] == [s.position for s in c.joint_states]
    assert [r["velocity"] for r in stored] == [s.velocity for s in c.joint_states]
    assert [r["effort"] for r in stored] == [s.effort for s in c.joint_states]
    events = json.loads(
        cli("query", "SELECT time_ns, mode, operator FROM control_mode ORDER BY time_ns", "--json").stdout
    )
    assert [(e["time_ns"], e["mode"]) for e in events] == [
        (e.time_ns, e.payload["mode"]) for e in c.events if e.topic == "/robotwork/control_mode"
    ]


def test_a_bad_file_does_not_stop_the_batch(cli, tmp_path):
    good = write_json_mcap(tmp_path / "good.mcap", content())
    junk = tmp_path / "junk.mcap"
    junk.write_bytes(b"not mcap at all")
    result = cli("ingest", str(junk), str(good))
    assert result.exit_code == 1
    assert "rejected: " in result.stderr and "ingested: " in result.stderr
    assert len(json.loads(cli("recordings", "list", "--json").stdout)) == 1


@pytest.mark.parametrize(
    "sample", sorted(p.name for p in SAMPLES.iterdir() if p.name != "LICENSE") if SAMPLES.exists() else []
)
def test_every_sample_bag_gets_a_clear_answer(cli, tmp_path, sample):
    result = cli("ingest", str(SAMPLES / sample), "--robot", "R-GD-1", "--json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    out = json.loads(result.stdout)
    assert out["status"] == "rejected"
    assert "no operating data" in out["error"] or "no messages" in out["error"], out["error"]
    assert "found " in out["error"]


def test_query_runs_duckdb_over_the_store(cli, tmp_path):
    ingest_json(cli, write_json_mcap(tmp_path / "r.mcap", content()))
    result = cli("query", "SELECT robot, count(*) AS n FROM joint_states GROUP BY robot", "--json")
    assert json.loads(result.stdout) == [{"robot": "R-GD-1", "n": 600}]
    bad = cli("query", "SELECT nope FROM joint_states")
    assert bad.exit_code == 1 and bad.stderr.startswith("error: query: ")
