"""LeRobot v3.0 dataset folders, written here with pyarrow in the layout lerobot uses."""

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from robotwork.errors import IngestError
from robotwork.ingest.readers import Recording, open_recording
from robotwork.store.schema import CONTROL_MODE, JOINT_COMMANDS, JOINT_STATES, TASKS

START = 1_767_225_600_000_000_000
FPS = 10
PERIOD = 100_000_000


def write_dataset(
    root: Path,
    lengths: list[int],
    *,
    joints: int = 3,
    success: bool = True,
    names: bool = True,
    modes: list[str] | None = None,
    files: int = 2,
) -> dict[str, np.ndarray]:
    """A v3.0 dataset of episodes of `lengths` frames, its data split over `files` files.

    Returns the frame columns written, for comparison.
    """
    frames = sum(lengths)
    rng = np.random.default_rng(3)
    columns: dict[str, np.ndarray] = {
        "observation.state": rng.normal(size=(frames, joints)).astype(np.float32),
        "action": rng.normal(size=(frames, joints)).astype(np.float32),
        "timestamp": np.concatenate([np.arange(n, dtype=np.float32) / FPS for n in lengths]),
        "frame_index": np.concatenate([np.arange(n) for n in lengths]),
        "episode_index": np.repeat(np.arange(len(lengths)), lengths),
        "index": np.arange(frames),
        "task_index": np.repeat(np.arange(len(lengths)) % 2, lengths),
    }
    if success:
        ends = np.cumsum(lengths) - 1
        columns["next.success"] = np.isin(np.arange(frames), ends[::2])  # even episodes succeed
    vector = {
        "dtype": "float32",
        "shape": [joints],
        "names": [f"m{i}" for i in range(joints)] if names else None,
    }
    info = {
        "codebase_version": "v3.0",
        "robot_type": "humanoid",
        "fps": FPS,
        "total_episodes": len(lengths),
        "total_frames": frames,
        "chunks_size": 1000,
        "data_path": "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet",
        "features": {
            "observation.state": vector,
            "action": vector,
            "timestamp": {"dtype": "float32", "shape": [1], "names": None},
        },
    }
    (root / "meta").mkdir(parents=True)
    (root / "meta/info.json").write_text(json.dumps(info))
    pq.write_table(
        pa.table({"task_index": [0, 1], "__index_level_0__": ["pick", "place"]}), root / "meta/tasks.parquet"
    )
    _write(
        root / "meta/episodes/chunk-000/file-000.parquet",
        pa.table(
            {
                "episode_index": np.arange(len(lengths)),
                "length": lengths,
                "tasks": [["pick" if e % 2 == 0 else "place"] for e in range(len(lengths))],
            }
        ),
    )
    table = pa.table(
        {
            name: pa.array(list(values), pa.list_(pa.float32(), joints)) if values.ndim == 2 else values
            for name, values in columns.items()
        }
    )
    if modes is not None:
        table = table.append_column("control_mode", pa.array(modes))
    cut = np.searchsorted(np.cumsum(lengths), frames // files)  # files split between episodes
    split = int(np.cumsum(lengths)[cut]) if files > 1 else frames
    _write(root / "data/chunk-000/file-000.parquet", table.slice(0, split))
    if split < frames:
        _write(root / "data/chunk-000/file-001.parquet", table.slice(split))
    return columns


def _write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=7)


def read_tables_lerobot(root: Path, batch_rows: int = 5) -> tuple[dict[str, pa.Table], Recording]:
    recording = open_recording(root, start_ns=START)
    tables: dict[str, list[pa.RecordBatch]] = {}
    for batch in recording.batches(batch_rows):
        assert batch.batch.num_rows <= batch_rows
        tables.setdefault(batch.table, []).append(batch.batch)
    return {name: pa.Table.from_batches(b) for name, b in tables.items()}, recording


def expected_times(columns: dict[str, np.ndarray], lengths: list[int]) -> list[int]:
    offsets = np.round(columns["timestamp"].astype(np.float64) * 1e9).astype(np.int64)
    times, start = [], START
    for episode, n in enumerate(lengths):
        begin = sum(lengths[:episode])
        times += (start + offsets[begin : begin + n]).tolist()
        start = times[-1] + PERIOD
    return times


def test_round_trip(tmp_path: Path) -> None:
    lengths = [12, 5, 9]
    columns = write_dataset(tmp_path / "ds", lengths)
    tables, recording = read_tables_lerobot(tmp_path / "ds", batch_rows=4)
    assert recording.identity == {}
    times = expected_times(columns, lengths)
    states = tables[JOINT_STATES]
    assert states.column("time_ns").to_pylist() == times
    assert states.column("position").to_pylist() == columns["observation.state"].astype(np.float64).tolist()
    assert (
        tables[JOINT_COMMANDS].column("position").to_pylist() == columns["action"].astype(np.float64).tolist()
    )
    assert states.column("velocity").null_count == len(times)
    ends = np.cumsum(lengths) - 1
    starts = np.r_[0, ends[:-1] + 1]
    assert tables[TASKS].to_pylist() == [
        row
        for e in range(3)
        for row in (
            {"time_ns": times[starts[e]], "event": "start", "task": ["pick", "place"][e % 2]},
            {
                "time_ns": times[ends[e]],
                "event": ["success", "failure"][e % 2],
                "task": ["pick", "place"][e % 2],
            },
        )
    ]
    assert tables[CONTROL_MODE].to_pylist() == [{"time_ns": START, "mode": "teleoperated", "operator": None}]
    info = recording.info
    assert info.joint_names == ["m0", "m1", "m2"]
    assert (info.start_ns, info.end_ns) == (START, times[-1])
    assert info.topics["/joint_states"] == ("observation.state", 26)
    assert times[12] == times[11] + PERIOD  # the next episode starts one frame period later


def test_without_success_column_or_names(tmp_path: Path) -> None:
    write_dataset(tmp_path / "ds", [4, 4], success=False, names=False, files=1)
    tables, recording = read_tables_lerobot(tmp_path / "ds")
    assert [row["event"] for row in tables[TASKS].to_pylist()] == ["start", "start"]
    assert recording.info.joint_names == ["joint_0", "joint_1", "joint_2"]


def test_control_mode_column(tmp_path: Path) -> None:
    modes = ["teleoperated"] * 3 + ["autonomous"] * 5
    write_dataset(tmp_path / "ds", [4, 4], modes=modes, files=1)
    tables, _ = read_tables_lerobot(tmp_path / "ds")
    assert [row["mode"] for row in tables[CONTROL_MODE].to_pylist()] == ["teleoperated", "autonomous"]
    bad = tmp_path / "bad"
    write_dataset(bad, [4, 4], modes=["teleoperated"] * 7 + ["napping"], files=1)
    with pytest.raises(IngestError, match=r"file-000\.parquet: row 7: unknown mode 'napping'"):
        read_tables_lerobot(bad)


def test_start_is_required(tmp_path: Path) -> None:
    write_dataset(tmp_path / "ds", [3])
    with pytest.raises(IngestError, match="--start is required"):
        open_recording(tmp_path / "ds")


def test_other_versions_and_broken_metadata(tmp_path: Path) -> None:
    root = tmp_path / "ds"
    write_dataset(root, [3, 3])
    info = json.loads((root / "meta/info.json").read_text())
    (root / "meta/info.json").write_text(json.dumps({**info, "codebase_version": "v2.1"}))
    with pytest.raises(IngestError, match="convert_dataset_v21_to_v30"):
        open_recording(root, start_ns=START)
    (root / "meta/info.json").write_text(json.dumps(info))
    _write(
        root / "meta/episodes/chunk-000/file-000.parquet",
        pa.table({"episode_index": [0, 1], "length": [3, 4]}),
    )
    with pytest.raises(IngestError, match="episode 1 has length 4 but 3 frames"):
        read_tables_lerobot(root)


def test_unreadable_data(tmp_path: Path) -> None:
    root = tmp_path / "ds"
    write_dataset(root, [3, 3], files=1)
    data = root / "data/chunk-000/file-000.parquet"
    table = pq.read_table(data)
    _write(data, table.set_column(0, "observation.state", pa.array(["x"] * 6)))
    with pytest.raises(IngestError, match=r"file-000\.parquet: observation\.state is string"):
        read_tables_lerobot(root)
    data.write_bytes(b"not parquet")
    with pytest.raises(IngestError, match=r"file-000\.parquet: not readable Parquet"):
        read_tables_lerobot(root)
