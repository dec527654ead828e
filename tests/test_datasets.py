"""Dataset export end to end: registry and recordings in, LeRobot v3.0 folders out, read back."""

import bisect
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from conftest import IN_CI, skip_or_fail
from recordings import Content, JointSample, control_mode, intervention, task, write_json_mcap
from registry_docs import province_program, write_json
from typer.testing import CliRunner

from robotwork.cli.app import app
from robotwork.datasets.plan import split_of
from robotwork.datasets.resample import NS, frame_times
from robotwork.datasets.stats import QUANTILES, RunningStats, episode_stats

T0 = int(datetime(2026, 11, 2, 2, tzinfo=UTC).timestamp()) * NS
MODELS = {"R-GD-1": "H1", "R-GD-2": "H1", "R-GD-3": "G1", "R-GD-4": "H1"}
LEROBOT_ENV = Path.home() / ".cache/robotwork/lerobot-0.6.1-py312"


def program() -> dict:
    doc = province_program()
    doc["robots"] = [
        {"serial": s, "model": m, "manufacturer": "M-UNITREE", "built_on": "2026-01-10"}
        for s, m in MODELS.items()
    ]
    doc["deployments"] = [
        {"robot_serial": s, "scenario_id": "SC-GD-000", "site_id": "S-GD-1", "start_date": "2026-09-01"}
        for s in MODELS
    ]
    return doc


def robot_day(serial: str, seed: int, *, commands: bool, joints: int = 4, start: int = T0) -> Content:
    """~9 s of work: jittered 100 Hz joint states with a 0.5 s gap, two tasks, a takeover, and an
    episode shorter than one frame period at 30 fps."""
    rng = np.random.default_rng(seed)
    c = Content(joint_names=[f"j{i}" for i in range(joints)], identity={"robot_serial": serial})
    t, pos = start, np.zeros(joints)
    while t < start + 9 * NS:
        pos = pos + rng.normal(0, 0.01, joints)
        if not start + 3 * NS <= t < start + 3 * NS + NS // 2:  # the gap
            c.joint_states.append(
                JointSample(t, pos.tolist(), velocity=(pos * 3).tolist() if commands else None)
            )
            if commands:
                c.joint_commands.append(JointSample(t + 4_000_000, (pos + 0.5).tolist()))
        t += 10_000_000 + int(rng.integers(-3_000_000, 3_000_001))  # clock jitter
    c.events = [
        control_mode(start, "autonomous", "op"),
        task(start + NS // 10, "start", "pick tote"),
        intervention(start + 2 * NS, "takeover", "remote_operator", "slip"),
        control_mode(start + 2 * NS, "teleoperated", "op"),
        control_mode(start + 3 * NS, "autonomous"),
        task(start + 4 * NS, "success", "pick tote"),
        task(start + 5 * NS, "start", "place tote"),
        task(start + 7 * NS, "failure", "place tote"),
        task(start + 8 * NS, "start", "tap"),
        task(start + 8 * NS + 10_000_000, "success", "tap"),
        control_mode(start + 9 * NS, "idle"),
    ]
    return c


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A registry with R-GD-1/2 (H1), R-GD-3 (G1) and R-GD-4 (H1, a flagged copy of R-GD-1)."""
    tmp = tmp_path_factory.mktemp("datasets")
    db = f"sqlite:///{tmp / 'registry.sqlite'}"

    def cli(*args: str):
        return CliRunner().invoke(app, ["--home", str(tmp / "home"), "--db", db, "--actor", "trainer", *args])

    assert cli("import", str(write_json(program(), tmp / "p.json"))).exit_code == 0
    contents = {
        "R-GD-1": robot_day("R-GD-1", 1, commands=True),
        "R-GD-2": robot_day("R-GD-2", 2, commands=False, start=T0 + 3600 * NS),
        "R-GD-3": robot_day("R-GD-3", 3, commands=True, joints=6),
        "R-GD-4": robot_day("R-GD-4", 1, commands=True),  # R-GD-1's joint data again
    }
    paths = [write_json_mcap(tmp / f"{s}.mcap", c) for s, c in contents.items()]
    result = cli("ingest", *map(str, paths), "--json")
    assert result.exit_code == 0, result.output
    flags = json.loads(cli("flags", "list", "--json").stdout)
    assert {f["robot_serial"] for f in flags} == {"R-GD-4"}
    return cli, tmp, contents


def export(world, name: str, *args: str) -> tuple[Path, list[dict]]:
    cli, tmp, _ = world
    out = tmp / name
    result = cli("dataset", "export", "--out", str(out), "--json", *args)
    assert result.exit_code == 0, result.output
    return out, [json.loads(line) for line in result.stdout.splitlines()]


def table(root: Path, rel: str = "data") -> list[dict]:
    files = sorted((root / rel).rglob("*.parquet")) if rel in ("data", "meta/episodes") else [root / rel]
    return [row for f in files for row in pq.read_table(f).to_pylist()]


def zoh(samples: list[JointSample], at: int) -> list[float]:
    times = [s.time_ns for s in samples]
    i = max(bisect.bisect_right(times, at) - 1, 0)
    return samples[i].position


def test_round_trip_values_and_metadata(world):
    _, _, contents = world
    out, [result] = export(world, "h1", "--model", "H1")
    assert result["robot_model"] == "H1" and result["recordings"] == 2  # R-GD-4 is flagged
    info = json.loads((out / "meta/info.json").read_text())
    assert info["codebase_version"] == "v3.0" and info["fps"] == 30 and info["robot_type"] == "H1"
    assert info["features"]["observation.state"]["names"] == ["j0", "j1", "j2", "j3"]
    assert info["features"]["control_mode"]["names"][1] == "autonomous"
    episodes = table(out, "meta/episodes")
    assert [e["length"] for e in episodes] == [118, 61, 1] * 2  # 3.9 s, 2 s, shorter than a frame
    assert info["total_episodes"] == 6 and info["total_frames"] == 360 == result["frames"]
    assert info["splits"] == {"train": "0:6"} and info["total_tasks"] == 3
    tasks = pq.read_table(out / "meta/tasks.parquet").to_pylist()
    assert tasks == [
        {"task_index": 0, "task": "pick tote"},
        {"task_index": 1, "task": "place tote"},
        {"task_index": 2, "task": "tap"},
    ]
    rows = table(out)
    assert [r["index"] for r in rows] == list(range(360))
    for ep in episodes:
        content = contents[ep["robotwork/robot_serial"]]
        frames = rows[ep["dataset_from_index"] : ep["dataset_to_index"]]
        times = frame_times(ep["robotwork/start_ns"], ep["robotwork/end_ns"], 30)[:-1]
        assert len(frames) == len(times) == ep["length"]
        for row, t in zip(frames, times, strict=True):
            assert row["observation.state"] == pytest.approx(zoh(content.joint_states, t), rel=1e-6)
            commands = content.joint_commands or content.joint_states  # none: action = state
            assert row["action"] == pytest.approx(zoh(commands, t), rel=1e-6)
            assert row["task_index"] == tasks[[x["task"] for x in tasks].index(ep["tasks"][0])]["task_index"]
        assert [f["next.success"] for f in frames][-1] is (ep["robotwork/outcome"] == "success")
        assert not any(f["next.success"] for f in frames[:-1])
    first = rows[:118]
    marked = [r["frame_index"] for r in first if r["intervention"]]
    assert marked == [(2 * NS - NS // 10) * 30 // NS]  # the frame whose period holds the takeover
    assert {r["control_mode"] for r in first[57:87]} == {2} and first[0]["control_mode"] == 1
    gap = [r["observation.state"] for r in first[87:102]]  # 3.0 .. 3.5 s: held through the gap
    assert all(g == gap[0] for g in gap)


def test_velocities_when_asked(world):
    cli, tmp, contents = world
    out, [result] = export(world, "velocities", "--model", "G1", "--velocities")
    state = json.loads((out / "meta/info.json").read_text())["features"]["observation.state"]
    joints = [f"j{i}" for i in range(6)]
    assert state["shape"] == [12] and state["names"] == joints + [f"{j}.vel" for j in joints]
    samples = contents["R-GD-3"].joint_states
    rows, times = table(out), [s.time_ns for s in samples]
    for ep in table(out, "meta/episodes"):
        for row in rows[ep["dataset_from_index"] : ep["dataset_to_index"]]:
            at = ep["robotwork/start_ns"] + row["frame_index"] * NS // 30
            held = samples[max(bisect.bisect_right(times, at) - 1, 0)]
            assert row["observation.state"] == pytest.approx(held.position + held.velocity, rel=1e-6)
            assert len(row["action"]) == 6
    refused = cli(
        "dataset", "export", "--out", str(tmp / "no-velocities"), "--robot", "R-GD-2", "--velocities"
    )
    assert refused.exit_code == 1 and not (tmp / "no-velocities").exists()
    assert "carry no velocities" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def test_stats_against_numpy(world):
    out, _ = export(world, "stats", "--model", "H1")
    stats = json.loads((out / "meta/stats.json").read_text())
    state = np.array([r["observation.state"] for r in table(out)], dtype=np.float64)
    s = stats["observation.state"]
    assert s["count"] == [len(state)]
    assert s["mean"] == pytest.approx(state.mean(axis=0).tolist(), rel=1e-9)
    assert s["std"] == pytest.approx(state.std(axis=0).tolist(), rel=1e-9)
    assert s["min"] == state.min(axis=0).tolist() and s["max"] == state.max(axis=0).tolist()
    for key, q in QUANTILES.items():
        assert s[key] == pytest.approx(np.quantile(state, q, axis=0).tolist(), abs=1e-3)


def test_sketch_quantiles_on_many_episodes():
    rng = np.random.default_rng(0)
    running, chunks = RunningStats(), []
    for n in rng.integers(1, 5000, 300):
        x = rng.standard_t(3, (int(n), 3)) + rng.normal()
        chunks.append(x)
        running.add(*episode_stats({"x": x})["x"])
    every = np.concatenate(chunks)
    doc = running.result()
    assert doc["mean"] == pytest.approx(every.mean(axis=0).tolist(), rel=1e-9)
    assert doc["std"] == pytest.approx(every.std(axis=0).tolist(), rel=1e-9)
    for key, q in QUANTILES.items():
        ranks = (every <= np.array(doc[key])).mean(axis=0)  # rank error, scale-free
        assert np.all(np.abs(ranks - q) < 0.005), (key, ranks)


def test_same_selection_gives_identical_files(world):
    a, _ = export(world, "same-a", "--name", "same", "--model", "H1", "--val-fraction", "0.5")
    b, _ = export(world, "same-b", "--name", "same", "--model", "H1", "--val-fraction", "0.5")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    info = json.loads((a / "meta/info.json").read_text())
    episodes = table(a, "meta/episodes")
    picked = [
        split_of(f"{e['robotwork/recording_id']}:{e['robotwork/start_ns']}:{e['robotwork/end_ns']}", 0.5)
        for e in episodes
    ]
    train = picked.count("train")
    assert picked == ["train"] * train + ["val"] * (6 - train) and 0 < train < 6  # train first, then val
    assert info["splits"] == {"train": f"0:{train}", "val": f"{train}:6"}


def test_export_on_ray_writes_the_bytes_of_a_serial_export(world, ray_local):
    options = ("--name", "same", "--split-by-model", "--val-fraction", "0.5")
    a, _ = export(world, "serial", *options)
    b, _ = export(world, "on-ray", *options, "--ray")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) > 10 and files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert [f for f in files if (a / f).read_bytes() != (b / f).read_bytes()] == []
    intervention = ("--interventions-only", "--model", "H1", "--seconds-before", "1")
    c, _ = export(world, "interventions-serial", *intervention)
    d, _ = export(world, "interventions-ray", *intervention, "--ray")
    assert [f.read_bytes() for f in sorted(c.rglob("*.parquet"))] == [
        f.read_bytes() for f in sorted(d.rglob("*.parquet"))
    ]


def test_mixed_models_refused_then_split(world):
    cli, tmp, _ = world
    result = cli("dataset", "export", "--out", str(tmp / "mixed"))
    assert result.exit_code == 1 and not (tmp / "mixed").exists()
    assert "G1 (3 episodes), H1 (6 episodes)" in result.stderr and len(result.stderr.splitlines()) == 1
    out, results = export(world, "split", "--split-by-model")
    assert {r["robot_model"]: r["episodes"] for r in results} == {"G1": 3, "H1": 6}
    g1 = json.loads((out / "G1/meta/info.json").read_text())
    assert g1["features"]["observation.state"]["shape"] == [6] and (out / "H1/meta/info.json").exists()


def test_interventions_only(world):
    out, [result] = export(
        world, "takeovers", "--robot", "R-GD-1", "--interventions-only", "--seconds-before", "1"
    )
    [ep] = table(out, "meta/episodes")
    assert (ep["robotwork/start_ns"], ep["robotwork/end_ns"]) == (T0 + NS, T0 + 3 * NS)
    rows = table(out)
    assert len(rows) == 61 and rows[30]["intervention"] and rows[30]["control_mode"] == 2
    assert rows[0]["control_mode"] == 1 and not any(r["next.success"] for r in rows)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--scenario", "SC-XX-999"], "unknown scenario SC-XX-999"),
        (["--robot", "R-NOPE"], "unknown robot R-NOPE"),
        (["--province", "CN-XX"], "unknown province CN-XX"),
        (["--model", "H1", "--outcome", "abort"], "no task episodes match"),
        (["--model", "H1", "--fps", "0"], "--fps must be"),
        (["--model", "H1", "--from", "2026-13-01"], "is not a date"),
    ],
)
def test_malformed_requests_write_nothing(world, args, message):
    cli, tmp, _ = world
    before = sorted(p.name for p in tmp.iterdir())
    listed = json.loads(cli("dataset", "list", "--json").stdout)
    result = cli("dataset", "export", "--out", str(tmp / "bad"), *args)
    assert result.exit_code == 1 and message in result.stderr and len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in tmp.iterdir()) == before
    assert json.loads(cli("dataset", "list", "--json").stdout) == listed


def test_existing_folder_refused(world):
    cli, tmp, _ = world
    (tmp / "taken").mkdir()
    (tmp / "taken/keep.txt").write_text("x")
    result = cli("dataset", "export", "--out", str(tmp / "taken"), "--model", "H1")
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert [p.name for p in (tmp / "taken").iterdir()] == ["keep.txt"]


def test_list_and_show(world):
    cli, _, _ = world
    out, [result] = export(world, "shown", "--robot", "R-GD-2", "--name", "r2-set")
    listed = json.loads(cli("dataset", "list", "--json").stdout)
    assert result["dataset_id"] in [d["dataset_id"] for d in listed]
    shown = json.loads(cli("dataset", "show", result["dataset_id"][:8], "--json").stdout)
    manifest = shown["manifest"]
    assert shown["name"] == "r2-set" and shown["episodes"] == 3 and shown["created_by"] == "trainer"
    assert manifest["filters"] == {"robot": "R-GD-2"} and manifest["robotwork_version"]
    assert (
        manifest["policy_version"]
        and manifest["recordings"][0]["sha256"] == manifest["recordings"][0]["recording_id"]
    )
    assert manifest == json.loads((out / "meta/robotwork_manifest.json").read_text())
    assert cli("dataset", "show", "zzzz").exit_code == 1
    assert "r2-set" in cli("dataset", "list").stdout


def _lerobot_python() -> Path:
    python = LEROBOT_ENV / "bin/python"
    if python.exists():
        return python
    if not IN_CI:
        skip_or_fail(f"LeRobot 0.6.1 environment not found at {LEROBOT_ENV} (created under CI=true)")
    base = sorted(Path.home().glob(".pyenv/versions/3.12*/bin/python"))
    if not base:
        pytest.fail("no Python 3.12 under ~/.pyenv/versions to create the LeRobot environment")
    subprocess.run([str(base[-1]), "-m", "venv", str(LEROBOT_ENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "lerobot[dataset]==0.6.1"], check=True)
    return python


LOAD = """
import json, sys
from lerobot.datasets.lerobot_dataset import LeRobotDataset
ds = LeRobotDataset("robotwork/test", root=sys.argv[1])
frames = {i: {k: ds[i][k].tolist() for k in ("observation.state", "action", "index", "episode_index")}
          | {"task": ds[i]["task"]} for i in (0, 5, 116, 117, len(ds) - 1)}
print(json.dumps({"episodes": ds.num_episodes, "frames": ds.num_frames, "sampled": frames}))
"""


def test_lerobot_client_loads_the_export(world):
    python = _lerobot_python()
    out, _ = export(world, "for-lerobot", "--model", "H1")
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_HOME=str(out.parent / "hf-home"))
    done = subprocess.run(
        [str(python), "-c", LOAD, str(out)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    doc = json.loads(done.stdout.strip().splitlines()[-1])
    assert (doc["episodes"], doc["frames"]) == (6, 360)
    rows = table(out)
    tasks = [t["task"] for t in pq.read_table(out / "meta/tasks.parquet").to_pylist()]
    for i, frame in doc["sampled"].items():
        row = rows[int(i)]
        assert frame["observation.state"] == pytest.approx(row["observation.state"])
        assert frame["action"] == pytest.approx(row["action"])
        assert frame["index"] == row["index"] and frame["task"] == tasks[row["task_index"]]
    shutil.rmtree(out.parent / "hf-home", ignore_errors=True)


def test_data_files_rotate_at_the_configured_size(world, policy):
    from robotwork.datasets import ExportFilters, export_dataset
    from robotwork.registry.db import open_registry
    from robotwork.store.telemetry import TelemetryStore

    _, tmp, _ = world
    engine = open_registry(f"sqlite:///{tmp / 'registry.sqlite'}")
    store = TelemetryStore(str(tmp / "home/telemetry"))
    out = tmp / "rotated"
    [result] = export_dataset(
        engine, store, policy, out, fps=30, filters=ExportFilters(model="H1"), actor="t", data_file_bytes=1
    )
    files = sorted((out / "data").rglob("*.parquet"))
    episodes = table(out, "meta/episodes")
    assert len(files) == result.data_files == 6  # every episode opens a new file once the last is full
    for ep, path in zip(episodes, files, strict=True):
        assert path.name == f"file-{ep['data/file_index']:03d}.parquet" and ep["data/chunk_index"] == 0
        assert pq.read_metadata(path).num_rows == ep["length"]
    engine.dispose()


def test_exports_show_on_the_dashboard_api_and_graph(world):
    """A registered export is on the datasets page, in the API, and a node of the graph."""
    import warnings

    from robotwork.accounts import add_user, create_token
    from robotwork.web.app import create_app
    from robotwork.web.settings import Settings

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from fastapi.testclient import TestClient

    _, tmp, _ = world
    _, [result] = export(world, "for-web", "--robot", "R-GD-1", "--name", "web-set")
    app = create_app(
        Settings(home=tmp / "home", db_url=f"sqlite:///{tmp / 'registry.sqlite'}", secret_key="t")
    )
    add_user(app.state.services.engine, "viewer", "viewer-password", "ministry")
    headers = {"Authorization": f"Bearer {create_token(app.state.services.engine, username='viewer')}"}
    client = TestClient(app, base_url="https://testserver")
    rows = client.get("/api/v1/datasets", headers=headers).json()["rows"]
    assert result["dataset_id"] in [r["dataset_id"] for r in rows]
    detail = client.get(f"/api/v1/datasets/{result['dataset_id'][:10]}", headers=headers).json()
    assert detail["manifest"]["recordings"] and detail["name"] == "web-set"
    page = client.get("/datasets?lang=en", headers=headers)
    assert page.status_code == 200 and "web-set" in page.text and "SC-GD-000" in page.text
    graph = client.get("/graph?org=CN-GD", headers=headers).text
    assert f"dataset:{result['dataset_id']}" in graph


def test_progress_counts_up_to_the_frames_written(world, policy):
    from robotwork.datasets import ExportFilters, export_dataset
    from robotwork.registry.db import open_registry
    from robotwork.store.telemetry import TelemetryStore

    _, tmp, _ = world
    engine = open_registry(f"sqlite:///{tmp / 'registry.sqlite'}")
    calls: list[tuple[int, int]] = []
    [result] = export_dataset(
        engine,
        TelemetryStore(str(tmp / "home/telemetry")),
        policy,
        tmp / "progress",
        filters=ExportFilters(model="H1"),
        actor="t",
        on_progress=lambda done, total: calls.append((done, total)),
    )
    assert len(calls) == result.episodes and calls[-1] == (result.frames, result.frames)
    assert [done for done, _ in calls] == sorted({done for done, _ in calls})  # strictly growing
