"""Dataset export against LeRobot's own writer and a bare pyarrow write, and peak memory.

    .venv/bin/python bench/export.py [--frames 100000] [--joints 32] [--scale 8]

Builds, in a temporary home, a registry with two robots of one model and ROS 2 (CDR) MCAP
recordings of them: joint states (position, velocity, effort) and commands at 100 Hz, 25 task
episodes of 1,000 frames at 30 fps per recording, a takeover in every tenth episode. They are
ingested through `robotwork.intake.Intake` (episodes and flags derived). Then the same episodes
(`--frames` / 1,000 of them, robot BENCH-1) are written three ways in one run, each timed:
  (a) robotwork's exporter, `export_dataset` (select, read from the store, resample, statistics,
      write, hash, register: the whole call);
  (b) LeRobot 0.6.1's own writer, `LeRobotDataset.create` / `add_frame` / `save_episode` /
      `finalize` (features observation.state and action, no videos), in its Python 3.12
      environment (`bench/lerobot_writer.py`), fed the frames robotwork exported so both write
      the same values; only the writing is timed (`--lerobot-frames` caps it to whole episodes);
  (c) the limit: robotwork's data files read into one table and written once with
      `pq.write_table` and the exporter's Parquet settings.
(a) and (c) are timed `--repeat` times and the best run is kept (LeRobot's writer runs once).
Also timed: (d) the read any exporter must do first, the selection's joint times and positions
read from the store's Parquet files with plain pyarrow (one thread), beside the bare write.
Peak memory (max RSS) of an export is measured in a fresh child process at 1x the selection
(BENCH-1) and at `--scale`x (robot BENCH-8: `--scale` times as many recordings of the same size).
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from mcap.reader import make_reader
from mcap.writer import CompressionType, Writer
from mcap_ros2.writer import Writer as Ros2Writer
from memory import peak_rss_mib
from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.datasets import ExportFilters, export_dataset
from robotwork.datasets.writer import _PARQUET, ROW_GROUP_ROWS
from robotwork.store.schema import JOINT_STATE_MSGDEF, STRING_MSGDEF

LEROBOT_PYTHON = Path.home() / ".cache/robotwork/lerobot-0.6.1-py312/bin/python"
START_NS = int(datetime(2026, 9, 1, 1, tzinfo=UTC).timestamp()) * 10**9
NS = 10**9
PERIOD_NS = 10_000_000  # joint states and commands at 100 Hz
FPS = 30
EPISODE_FRAMES = 1000
EPISODE_NS = (EPISODE_FRAMES - 1) * NS // FPS  # 33.3 s: (end - start) * fps // 1e9 + 1 = 1,000 frames
GAP_NS = 2 * NS
LEAD_NS = NS
EPISODES_PER_RECORDING = 25
TASKS = ("pick tote", "place tote", "scan shelf", "open drawer")
MODEL = "B1"
ONE, MANY = "BENCH-1", "BENCH-8"


def _templates(joints: int) -> tuple[np.ndarray, list[int], np.ndarray, int, bytes, bytes]:
    """CDR payloads serialized once by mcap_ros2 (marker values), and where their vectors sit.

    Returns the state template and the offsets of its position, velocity and effort vectors,
    the command template (position only) and its offset, and two control-mode payloads."""
    buf = io.BytesIO()
    writer = Ros2Writer(buf)
    js = writer.register_msgdef("sensor_msgs/msg/JointState", JOINT_STATE_MSGDEF)
    st = writer.register_msgdef("std_msgs/msg/String", STRING_MSGDEF)
    names = [f"joint_{i:02d}" for i in range(joints)]
    header = {"stamp": {"sec": 0, "nanosec": 0}, "frame_id": "base"}
    markers = {"position": [1.25] * joints, "velocity": [2.5] * joints, "effort": [5.0] * joints}
    writer.write_message("/joint_states", js, {"header": header, "name": names, **markers}, log_time=0)
    command = {"header": header, "name": names, "position": [1.25] * joints, "velocity": [], "effort": []}
    writer.write_message("/joint_commands", js, command, log_time=0)
    for mode in ("autonomous", "teleoperated"):
        writer.write_message("/robotwork/control_mode", st, {"data": json.dumps({"mode": mode})}, log_time=0)
    writer.finish()
    buf.seek(0)
    state, cmd, auto, tele = [m.data for _, _, m in make_reader(buf).iter_messages()]
    cuts = [state.find(np.float64(v).tobytes() * joints) for v in (1.25, 2.5, 5.0)]
    assert min(cuts) > 0
    return (
        np.frombuffer(state, np.uint8),
        cuts,
        np.frombuffer(cmd, np.uint8),
        cmd.find(np.float64(1.25).tobytes() * joints),
        auto,
        tele,
    )


def _payloads(template: np.ndarray, cuts: list[int], vectors: list[np.ndarray]) -> np.ndarray:
    """One payload row per sample: the template with each (n, joints) float64 block spliced in."""
    n = len(vectors[0])
    rows = np.tile(template, (n, 1))
    for cut, vec in zip(cuts, vectors, strict=True):
        block = np.ascontiguousarray(vec, dtype="<f8").view(np.uint8).reshape(n, -1)
        rows[:, cut : cut + block.shape[1]] = block
    return rows


def _event(kind: str, payload: dict) -> bytes:
    """A `/robotwork/*` event as CDR std_msgs/String (4-byte header, length, text, NUL)."""
    text = json.dumps(payload).encode() + b"\0"
    return b"\x00\x01\x00\x00" + len(text).to_bytes(4, "little") + text


def recording_span(episodes: int) -> int:
    """Nanoseconds one recording of `episodes` task episodes lasts."""
    return LEAD_NS + episodes * (EPISODE_NS + GAP_NS)


def write_recording(path: Path, serial: str, start_ns: int, episodes: int, joints: int, seed: int) -> None:
    """A shift with `episodes` task episodes; a random walk of its own so nothing looks replayed."""
    rng = np.random.default_rng(seed)
    n = recording_span(episodes) // PERIOD_NS + 1
    times = start_ns + np.arange(n, dtype=np.int64) * PERIOD_NS
    position = np.cumsum(rng.normal(0, 2e-3, (n, joints)), axis=0) + rng.uniform(-1, 1, joints)
    velocity = np.vstack([np.zeros((1, joints)), np.diff(position, axis=0) * (NS // PERIOD_NS)])
    effort = rng.normal(0, 1.0, (n, joints))
    command = np.vstack([position[1:], position[-1:]])  # the next pose is the command
    state_t, cuts, cmd_t, cmd_cut, auto, tele = _templates(joints)
    states = _payloads(state_t, cuts, [position, velocity, effort])
    commands = _payloads(cmd_t, [cmd_cut], [command])
    events: list[tuple[int, str, bytes]] = [(start_ns, "/robotwork/control_mode", auto)]
    for e in range(episodes):
        t = start_ns + LEAD_NS + e * (EPISODE_NS + GAP_NS)
        text = TASKS[e % len(TASKS)]
        outcome = "failure" if e % 7 == 6 else "success"
        events.append((t, "/robotwork/task", _event("task", {"event": "start", "task": text})))
        if e % 10 == 5:
            takeover = {"kind": "takeover", "initiated_by": "remote_operator", "reason": "slip"}
            events += [
                (t + 10 * NS, "/robotwork/intervention", _event("intervention", takeover)),
                (t + 10 * NS, "/robotwork/control_mode", tele),
                (t + 15 * NS, "/robotwork/control_mode", auto),
            ]
        events.append((t + EPISODE_NS, "/robotwork/task", _event("task", {"event": outcome, "task": text})))
    with path.open("wb") as stream:
        w = Writer(stream, compression=CompressionType.ZSTD)
        w.start(profile="ros2", library="robotwork-bench")
        js = w.register_schema("sensor_msgs/msg/JointState", "ros2msg", JOINT_STATE_MSGDEF.encode())
        st = w.register_schema("std_msgs/msg/String", "ros2msg", STRING_MSGDEF.encode())
        ch = {
            "/joint_states": w.register_channel("/joint_states", "cdr", js),
            "/joint_commands": w.register_channel("/joint_commands", "cdr", js),
            **{
                topic: w.register_channel(topic, "cdr", st)
                for topic in ("/robotwork/control_mode", "/robotwork/task", "/robotwork/intervention")
            },
        }
        k = 0
        for i in range(n):
            t = int(times[i])
            while k < len(events) and events[k][0] <= t:
                et, topic, data = events[k]
                w.add_message(ch[topic], log_time=et, data=data, publish_time=et)
                k += 1
            w.add_message(ch["/joint_states"], log_time=t, data=states[i].tobytes(), publish_time=t)
            tc = t + 4_000_000
            w.add_message(ch["/joint_commands"], log_time=tc, data=commands[i].tobytes(), publish_time=tc)
        for et, topic, data in events[k:]:
            w.add_message(ch[topic], log_time=et, data=data, publish_time=et)
        w.add_metadata("robotwork", {"robot_serial": serial})
        w.finish()


def _open(home: Path):  # type: ignore[no-untyped-def]
    from robotwork.policy import load_policy
    from robotwork.registry.db import open_registry, sqlite_url
    from robotwork.store.telemetry import TelemetryStore

    return open_registry(sqlite_url(home)), TelemetryStore(str(home / "telemetry")), load_policy()


def build_home(home: Path, episodes: int, scale: int, joints: int) -> None:
    """Registry + recordings: BENCH-1 with `episodes` episodes, BENCH-8 with `scale` times as many."""
    from robotwork.intake import Intake
    from robotwork.registry.importer import import_document
    from robotwork.registry.sources import document_from_rows

    home.mkdir(parents=True, exist_ok=True)
    engine, store, policy = _open(home)
    doc = document_from_rows(
        home / "robots.json",
        {
            "organizations": [{"code": "M-BENCH", "name": "Bench Robotics", "kind": "manufacturer"}],
            "robots": [{"serial": s, "model": MODEL, "manufacturer": "M-BENCH"} for s in (ONE, MANY)],
        },
    )
    report = import_document(engine, doc, policy, actor="bench")
    assert report.ok, report.problems[:3]
    intake = Intake(engine, store, policy, actor="bench")
    seed = 0
    for serial, total in ((ONE, episodes), (MANY, episodes * scale)):
        start = START_NS
        for first in range(0, total, EPISODES_PER_RECORDING):
            count = min(EPISODES_PER_RECORDING, total - first)
            path = home / f"{serial}-{first:06d}.mcap"
            write_recording(path, serial, start, count, joints, seed)
            result = intake.take(path)
            if result.status != "ingested":
                raise SystemExit(f"ingest of {path.name} failed: {result.status} {result.error}")
            path.unlink()
            start += recording_span(count) + 60 * NS
            seed += 1
    engine.dispose()


def export(home: Path, serial: str, out: Path) -> int:
    """robotwork's whole export of `serial`'s task episodes; the frames written."""
    engine, store, policy = _open(home)
    [result] = export_dataset(
        engine, store, policy, out, name=out.name, fps=FPS, filters=ExportFilters(robot=serial), actor="bench"
    )
    engine.dispose()
    return result.frames


def lerobot_writer(src: Path, out: Path, frames: int) -> dict | str:
    """LeRobot's writer in its 3.12 environment: its JSON result, or why it was not measured."""
    if not LEROBOT_PYTHON.exists():
        return f"no LeRobot 0.6.1 environment at {LEROBOT_PYTHON.parent.parent} (tests create it under CI)"
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_HOME=str(out.parent / "hf-home"))
    command = [str(LEROBOT_PYTHON), str(Path(__file__).with_name("lerobot_writer.py")), str(src), str(out)]
    done = subprocess.run(
        [*command, "--frames", str(frames)], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        return f"LeRobot's writer failed: {done.stderr.strip().splitlines()[-1:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def bare_write(src: Path, out: Path) -> tuple[int, float]:
    """The limit: robotwork's data as one table, written once with the exporter's Parquet settings."""
    files = sorted((src / "data").rglob("*.parquet"))
    table = pa.concat_tables([pq.read_table(f) for f in files]).combine_chunks()
    t0 = time.perf_counter()
    pq.write_table(table, out, row_group_size=ROW_GROUP_ROWS, **_PARQUET)
    return table.num_rows, time.perf_counter() - t0


def bare_read(home: Path, serial: str) -> float:
    """What every exporter must do before writing: read the selection's joint positions (times and
    positions of states and commands, 100 Hz float64) from the store, with plain pyarrow."""
    from robotwork.registry.models import Recording

    engine, store, _ = _open(home)
    with Session(engine) as session:
        files = [
            f
            for r in session.scalars(select(Recording).where(Recording.robot_serial == serial))
            for f in r.files
        ]
    engine.dispose()
    joints = [f for f in files if f.split("/", 1)[0] in ("joint_states", "joint_commands")]
    t0 = time.perf_counter()
    for rel in joints:
        pq.read_table(store.files.path(rel), columns=["time_ns", "position"], use_threads=False)
    return time.perf_counter() - t0


def child_peak(home: Path, serial: str, out: Path) -> tuple[float, float, int]:
    """(RSS before the export, peak RSS, frames) in MiB of a fresh process exporting `serial`."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(home), serial, str(out)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(done[0]), float(done[1]), int(done[2])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--joints", type=int, default=32)
    parser.add_argument("--scale", type=int, default=8)
    parser.add_argument(
        "--lerobot-frames", type=int, default=0, help="cap LeRobot's writer to ~N frames (0: all)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs of (a) and (c)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        home, serial, out = args.child
        before = peak_rss_mib()
        frames = export(Path(home), serial, Path(out))
        print(before, peak_rss_mib(), frames)
        return
    episodes = -(-args.frames // EPISODE_FRAMES)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        home = root / "home"
        t0 = time.perf_counter()
        build_home(home, episodes, args.scale, args.joints)
        per = EPISODES_PER_RECORDING
        print(
            f"{episodes} task episodes x {EPISODE_FRAMES:,} frames at {FPS} fps, {args.joints} joints; "
            f"recordings (CDR MCAP, 100 Hz) of {per} episodes: {-(-episodes // per)} at 1x, "
            f"{-(-episodes * args.scale // per)} at {args.scale}x; setup {time.perf_counter() - t0:.0f} s"
        )
        runs = []  # best of `--repeat` runs of (a) and of (c), each export into a fresh folder
        for k in range(args.repeat):
            out = root / f"robotwork-{k}"
            t0 = time.perf_counter()
            n_ours = export(home, ONE, out)
            runs.append(time.perf_counter() - t0)
        t_ours = min(runs)
        mib = sum(p.stat().st_size for p in (out / "data").rglob("*.parquet")) / 2**20
        bare_runs = [bare_write(out, root / f"bare-{k}.parquet") for k in range(args.repeat)]
        n_bare, t_bare = min(bare_runs, key=lambda r: r[1])
        t_read = min(bare_read(home, ONE) for _ in range(args.repeat))
        assert n_bare == n_ours
        lerobot = lerobot_writer(out, root / "lerobot", args.lerobot_frames)
        ours, bare = n_ours / t_ours, n_bare / t_bare
        print(f"frames exported: {n_ours:,} ({mib:,.1f} MiB of data files)")
        best = f"best of {args.repeat}"
        print(f"  robotwork export_dataset:  {ours:12,.0f} frames/s ({t_ours:.2f} s, whole call, {best})")
        if isinstance(lerobot, dict):
            subset = "" if lerobot["frames"] == n_ours else f", a subset of {lerobot['episodes']} episodes"
            print(
                f"  LeRobot 0.6.1 writer:      {lerobot['frames_per_s']:12,.0f} frames/s "
                f"({lerobot['seconds']:.2f} s for {lerobot['frames']:,} frames{subset})"
            )
        else:
            print(f"  LeRobot 0.6.1 writer:      not measured: {lerobot}")
        print(f"  bare pyarrow write_table:  {bare:12,.0f} frames/s ({t_bare:.2f} s, {best})")
        print(
            f"  bare pyarrow read of the selection's joint data from the store: {t_read:.2f} s "
            f"({t_read / t_bare:.1f}x the bare write; {best}, one thread)"
        )
        if isinstance(lerobot, dict):
            print(f"  ratio robotwork / LeRobot writer: {ours / lerobot['frames_per_s']:8.1f}x")
        print(f"  ratio robotwork / bare pyarrow:   {ours / bare:8.2f}x")
        b1, p1, f1 = child_peak(home, ONE, root / "mem-1x-selection")
        b8, p8, f8 = child_peak(home, MANY, root / "mem-scaled-selection")
        print(
            f"  peak RSS: {p1:,.0f} MiB at 1x ({f1:,} frames), {p8:,.0f} MiB at {args.scale}x "
            f"({f8:,} frames); the process held {b1:,.0f} / {b8:,.0f} MiB before exporting"
        )


if __name__ == "__main__":
    main()
