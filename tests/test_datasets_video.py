"""Camera topics exported as LeRobot videos: real JPEG / PNG frames in MCAP files, AV1 MP4 out,
decoded back with PyAV and with the real LeRobot client."""

import bisect
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pyarrow.parquet as pq
import pytest
from images import jpeg, png
from recordings import CameraFrame, write_json_mcap, write_ros2_mcap
from registry_docs import write_json
from test_datasets import T0, _lerobot_python, program, robot_day, table
from typer.testing import CliRunner

from robotwork.cli.app import app
from robotwork.datasets.resample import NS

FRONT, WRIST = "/cam/front/image_raw/compressed", "/wrist"
FRONT_SIZE, WRIST_SIZE = (64, 48), (32, 32)


def front_colour(i: int) -> tuple[int, int, int]:
    return ((i * 37) % 200 + 20, (i * 11) % 200 + 20, 128)


def wrist_colour(i: int) -> tuple[int, int, int]:
    return (200, (i * 53) % 200 + 20, 40)


def front_frames(start: int) -> list[CameraFrame]:
    """10 Hz from 0.2 s, a new colour every frame (JPEG, 64x48)."""
    times = [start + NS // 5 + i * NS // 10 for i in range(88)]
    return [CameraFrame(t, FRONT, jpeg(*FRONT_SIZE, front_colour(i))) for i, t in enumerate(times)]


def wrist_frames(start: int, size: tuple[int, int] = WRIST_SIZE) -> list[CameraFrame]:
    """5 Hz from 0, PNG 32x32."""
    times = [start + i * NS // 5 for i in range(45)]
    return [CameraFrame(t, WRIST, png(*size, wrist_colour(i)), "png") for i, t in enumerate(times)]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """R-GD-1 (H1, CDR) with a front and a wrist camera, R-GD-2 (H1, JSON) with a wrist camera
    only (48x40, not 32x32), R-GD-3 (G1) with a front camera whose third frame is not a JPEG."""
    tmp = tmp_path_factory.mktemp("video")
    db = f"sqlite:///{tmp / 'registry.sqlite'}"

    def cli(*args: str):
        return CliRunner().invoke(app, ["--home", str(tmp / "home"), "--db", db, "--actor", "trainer", *args])

    assert cli("import", str(write_json(program(), tmp / "p.json"))).exit_code == 0
    one = robot_day("R-GD-1", 1, commands=True)
    one.images = front_frames(T0) + wrist_frames(T0)
    two = robot_day("R-GD-2", 2, commands=True, start=T0 + 3600 * NS)
    two.images = wrist_frames(T0 + 3600 * NS, (48, 40))  # another wrist camera model
    three = robot_day("R-GD-3", 3, commands=True, joints=6)
    three.images = front_frames(T0)
    three.images[2] = CameraFrame(three.images[2].time_ns, FRONT, b"\xff\xd8 not a picture")
    paths = [
        write_ros2_mcap(tmp / "one.mcap", one),
        write_json_mcap(tmp / "two.mcap", two),
        write_json_mcap(tmp / "three.mcap", three),
    ]
    result = cli("ingest", *map(str, paths), "--json")
    assert result.exit_code == 0, result.output
    return cli, tmp, {"R-GD-1": one, "R-GD-2": two}


def export(world, name: str, *args: str) -> tuple[Path, dict]:
    cli, tmp, _ = world
    out = tmp / name
    result = cli("dataset", "export", "--out", str(out), "--json", *args)
    assert result.exit_code == 0, result.output
    [doc] = [json.loads(line) for line in result.stdout.splitlines()]
    return out, doc


def held(frames: list[CameraFrame], at: int) -> int:
    """Which camera frame a dataset frame at `at` shows (zero-order hold, the first before it)."""
    return max(bisect.bisect_right([f.time_ns for f in frames], at) - 1, 0)


def decoded(path: Path) -> tuple[list[np.ndarray], list[Fraction]]:
    """Every picture of an MP4 (RGB) and its presentation time in seconds."""
    with av.open(str(path)) as container:
        pictures = list(container.decode(video=0))
    return [p.to_ndarray(format="rgb24") for p in pictures], [p.pts * p.time_base for p in pictures]


def test_cameras_become_videos_frame_by_frame(world):
    _, _, contents = world
    out, doc = export(world, "both", "--robot", "R-GD-1")
    assert doc["cameras"] == ["cam_front", "wrist"]
    info = json.loads((out / "meta/info.json").read_text())
    front = info["features"]["observation.images.cam_front"]
    assert front["dtype"] == "video" and front["shape"] == [48, 64, 3]
    assert front["info"]["video.codec"] == "av1" and front["info"]["video.fps"] == 30
    assert info["features"]["observation.images.wrist"]["shape"] == [32, 32, 3]
    assert info["video_path"] == "videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4"
    assert "observation.images.cam_front" not in pq.read_schema(out / "data/chunk-000/file-000.parquet").names
    rows, episodes = table(out), table(out, "meta/episodes")
    camera_frames = {"cam_front": [f for f in contents["R-GD-1"].images if f.topic == FRONT]}
    camera_frames["wrist"] = [f for f in contents["R-GD-1"].images if f.topic == WRIST]
    colours = {"cam_front": front_colour, "wrist": wrist_colour}
    for camera, frames in camera_frames.items():
        key = f"observation.images.{camera}"
        pictures, times = decoded(out / f"videos/{key}/chunk-000/file-000.mp4")
        assert len(pictures) == len(rows) and times == [Fraction(k, 30) for k in range(len(rows))]
        for ep in episodes:
            first = ep["dataset_from_index"]
            assert ep[f"videos/{key}/from_timestamp"] == pytest.approx(first / 30)
            assert ep[f"videos/{key}/to_timestamp"] == pytest.approx(ep["dataset_to_index"] / 30)
            assert (ep[f"videos/{key}/chunk_index"], ep[f"videos/{key}/file_index"]) == (0, 0)
            for k in range(ep["length"]):
                at = ep["robotwork/start_ns"] + k * NS // 30
                expected = colours[camera](held(frames, at))
                mean = pictures[first + k].reshape(-1, 3).mean(axis=0)
                assert np.abs(mean - expected).max() < 10, (camera, ep["episode_index"], k, mean, expected)
    stats = json.loads((out / "meta/stats.json").read_text())["observation.images.wrist"]
    assert np.array(stats["mean"]).shape == (3, 1, 1) and stats["count"][0] > 0
    assert np.array(stats["min"]).min() >= 0 and np.array(stats["max"]).max() <= 1
    assert np.array(stats["mean"]).ravel()[0] == pytest.approx(200 / 255, abs=0.03)  # red is 200 throughout
    manifest = json.loads((out / "meta/robotwork_manifest.json").read_text())
    assert {f["path"] for f in manifest["data_files"]} >= {
        f"videos/observation.images.{c}/chunk-000/file-000.mp4" for c in ("cam_front", "wrist")
    }


def test_same_selection_gives_identical_videos(world):
    a, _ = export(world, "twice-a", "--name", "twice", "--robot", "R-GD-1")
    b, _ = export(world, "twice-b", "--name", "twice", "--robot", "R-GD-1")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert any(f.suffix == ".mp4" for f in files)
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_only_cameras_every_recording_has(world):
    out, doc = export(world, "common", "--model", "H1")
    assert doc["cameras"] == ["wrist"] and doc["recordings"] == 2
    manifest = json.loads((out / "meta/robotwork_manifest.json").read_text())
    assert manifest["cameras"] == {"exported": ["wrist"], "left_out": ["cam_front"]}
    assert sorted(p.name for p in (out / "videos").iterdir()) == ["observation.images.wrist"]
    wrist = json.loads((out / "meta/info.json").read_text())["features"]["observation.images.wrist"]
    first = manifest["recordings"][0]["robot_serial"]  # the first recording (by id) sets the size
    assert wrist["shape"] == ([32, 32, 3] if first == "R-GD-1" else [40, 48, 3])
    pictures, _ = decoded(out / "videos/observation.images.wrist/chunk-000/file-000.mp4")
    assert len(pictures) == doc["frames"] and {p.shape for p in pictures} == {tuple(wrist["shape"])}
    for picture in pictures:  # every frame, scaled or not, keeps its colour's red of 200
        assert abs(picture.reshape(-1, 3).mean(axis=0)[0] - 200) < 10


def test_no_videos(world):
    out, doc = export(world, "plain", "--robot", "R-GD-1", "--no-videos")
    info = json.loads((out / "meta/info.json").read_text())
    assert doc["cameras"] == [] and info["video_path"] is None and not (out / "videos").exists()
    assert not any(k.startswith("observation.images") for k in info["features"])


def test_unreadable_frame_refused_and_nothing_written(world):
    cli, tmp, _ = world
    out = tmp / "broken"
    result = cli("dataset", "export", "--out", str(out), "--model", "G1")
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "camera cam_front: frame 2 is not a readable jpeg" in message and "recording " in message
    assert not out.exists() and not list(tmp.glob(".broken*"))
    assert "broken" not in cli("dataset", "list").stdout


def test_without_pyav_the_export_says_what_to_do(world, monkeypatch):
    monkeypatch.setitem(sys.modules, "av", None)  # `import av` now fails as on a core install
    cli, tmp, _ = world
    result = cli("dataset", "export", "--out", str(tmp / "no-av"), "--robot", "R-GD-1")
    assert result.exit_code == 1 and not (tmp / "no-av").exists()
    assert "pip install 'robotwork[video]'" in result.stderr and "--no-videos" in result.stderr
    assert (
        cli("dataset", "export", "--out", str(tmp / "no-av"), "--robot", "R-GD-1", "--no-videos").exit_code
        == 0
    )


LOAD = """
import json, sys
from lerobot.datasets.lerobot_dataset import LeRobotDataset
ds = LeRobotDataset("robotwork/video", root=sys.argv[1], video_backend="pyav")
picked = {}
for i in (0, 40, len(ds) - 1):
    image = ds[i]["observation.images.cam_front"]
    picked[i] = {"shape": list(image.shape), "mean": (image.reshape(3, -1).mean(dim=1) * 255).tolist()}
print(json.dumps({"frames": ds.num_frames, "episodes": ds.num_episodes, "picked": picked}))
"""


def test_lerobot_client_decodes_the_videos(world):
    python = _lerobot_python()
    out, doc = export(world, "for-lerobot", "--robot", "R-GD-1")
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_HOME=str(out.parent / "hf-home"))
    done = subprocess.run([str(python), "-c", LOAD, str(out)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert (loaded["frames"], loaded["episodes"]) == (doc["frames"], doc["episodes"])
    pictures, _ = decoded(out / "videos/observation.images.cam_front/chunk-000/file-000.mp4")
    for i, frame in loaded["picked"].items():
        assert frame["shape"] == [3, 48, 64]
        expected = pictures[int(i)].reshape(-1, 3).mean(axis=0)
        assert frame["mean"] == pytest.approx(expected.tolist(), abs=2)
    shutil.rmtree(out.parent / "hf-home", ignore_errors=True)


def test_video_files_rotate_at_episode_boundaries(tmp_path):
    """Once a file has reached its size the next episode opens the next file, from time 0."""
    from robotwork.datasets.video import VideoTrack

    track = VideoTrack(tmp_path, "observation.images.cam", 30, 16, 16, file_bytes=1)
    columns = []
    for episode in range(3):
        pixels = np.full((16, 16, 3), 40 * episode, np.uint8)
        frames = [
            av.VideoFrame.from_ndarray(pixels, format="rgb24").reformat(format="yuv420p") for _ in range(5)
        ]
        located, sample = track.add_episode(iter(frames), 5)
        columns.append(located)
        assert sample.shape[1] == 3
    track.close()
    key = "videos/observation.images.cam"
    assert [c[f"{key}/file_index"] for c in columns] == [0, 1, 2]
    assert all(c[f"{key}/from_timestamp"] == 0 and c[f"{key}/to_timestamp"] == 5 / 30 for c in columns)
    for index in range(3):
        pictures, times = decoded(tmp_path / f"videos/observation.images.cam/chunk-000/file-{index:03d}.mp4")
        assert len(pictures) == 5 and times == [Fraction(k, 30) for k in range(5)]


def test_a_lerobot_dataset_with_cameras_comes_back_with_them(world):
    """Export with cameras, ingest that LeRobot folder as a recording, export it again: the
    camera frames make the whole trip (AV1 -> JPEG in the store -> AV1), at the same times."""
    import pyarrow as pa

    from robotwork.store.schema import IMAGES
    from robotwork.store.telemetry import TelemetryStore

    cli, tmp, _ = world
    first, doc = export(world, "round-1", "--robot", "R-GD-1")
    taken = cli("ingest", str(first), "--robot", "R-GD-1", "--start", "2026-11-10T02:00:00Z", "--json")
    assert taken.exit_code == 0, taken.output
    [result] = [json.loads(line) for line in taken.stdout.splitlines()]
    assert result["status"] == "ingested"
    store = TelemetryStore(str(tmp / "home/telemetry"))
    frames = pa.concat_tables(
        pq.read_table(store.files.path(rel)) for rel in store.recording_files(result["recording_id"], IMAGES)
    )
    assert frames.num_rows == 2 * doc["frames"]  # both cameras, one picture per dataset frame
    assert set(frames.column("camera").to_pylist()) == {"cam_front", "wrist"}
    episodes = table(first, "meta/episodes")
    start = int(datetime(2026, 11, 10, 2, tzinfo=UTC).timestamp()) * NS
    front = sorted(
        t
        for t, c in zip(
            frames.column("time_ns").to_pylist(), frames.column("camera").to_pylist(), strict=True
        )
        if c == "cam_front"
    )
    assert front[0] == start and len(front) == sum(e["length"] for e in episodes)
    # the copy is flagged as a replay of R-GD-1's own recording; an official clears it to export it
    flags = json.loads(cli("flags", "list", "--json").stdout)
    for flag in [f for f in flags if f["recording_id"] == result["recording_id"]]:
        assert cli("flags", "clear", str(flag["id"]), "--reason", "round trip test").exit_code == 0
    second, again = export(world, "round-2", "--robot", "R-GD-1", "--from", "2026-11-10")
    assert again["cameras"] == ["cam_front", "wrist"] and again["frames"] == doc["frames"]
    before, _ = decoded(first / "videos/observation.images.cam_front/chunk-000/file-000.mp4")
    after, _ = decoded(second / "videos/observation.images.cam_front/chunk-000/file-000.mp4")
    for a, b in zip(before, after, strict=True):
        assert np.abs(a.reshape(-1, 3).mean(axis=0) - b.reshape(-1, 3).mean(axis=0)).max() < 6


def test_without_pyav_a_lerobot_dataset_comes_in_without_its_cameras(world, monkeypatch):
    cli, tmp, _ = world
    out, _ = export(world, "no-av-in", "--robot", "R-GD-1")
    monkeypatch.setitem(sys.modules, "av", None)
    taken = cli("ingest", str(out), "--robot", "R-GD-1", "--start", "2026-11-12T02:00:00Z", "--json")
    assert taken.exit_code == 0, taken.output
    [result] = [json.loads(line) for line in taken.stdout.splitlines()]
    shown = json.loads(cli("recordings", "show", result["recording_id"], "--json").stdout)
    assert shown["topics"]["observation.images.cam_front"][0].startswith("video, not read: install")
    assert "images" not in shown["rows"]


def test_a_lerobot_dataset_with_a_missing_or_broken_video_is_refused(world):
    cli, tmp, _ = world
    out, _ = export(world, "broken-in", "--robot", "R-GD-1")
    front = out / "videos/observation.images.cam_front/chunk-000/file-000.mp4"
    front.write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\x00" * 64)
    args = ("ingest", str(out), "--robot", "R-GD-1", "--start", "2026-11-14T02:00:00Z", "--json")
    before = cli("recordings", "list", "--json").stdout
    [result] = [json.loads(line) for line in cli(*args).stdout.splitlines()]
    assert result["status"] == "rejected" and f"{front}: not a readable video" in result["error"]
    front.unlink()
    [result] = [json.loads(line) for line in cli(*args).stdout.splitlines()]
    assert result["status"] == "rejected" and f"{front}: no such video file" in result["error"]
    assert cli("recordings", "list", "--json").stdout == before  # nothing half-stored


def test_intervention_segments_keep_their_camera_frames(world):
    out, doc = export(
        world, "takeovers", "--robot", "R-GD-1", "--interventions-only", "--seconds-before", "1"
    )
    assert doc["episodes"] == 1 and doc["cameras"] == ["cam_front", "wrist"]
    [episode] = table(out, "meta/episodes")
    pictures, _ = decoded(out / "videos/observation.images.cam_front/chunk-000/file-000.mp4")
    assert len(pictures) == episode["length"] == doc["frames"]
    frames = [f for f in world[2]["R-GD-1"].images if f.topic == FRONT]
    for k in (0, episode["length"] - 1):
        expected = front_colour(held(frames, episode["robotwork/start_ns"] + k * NS // 30))
        assert np.abs(pictures[k].reshape(-1, 3).mean(axis=0) - expected).max() < 10
