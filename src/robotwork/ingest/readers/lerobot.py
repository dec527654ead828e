"""A LeRobot dataset (format v3.0) read as one recording.

A dataset has no wall-clock time and no robot identity, so the caller gives `start_ns` (and the
robot). Episodes are laid end to end from `start_ns` in episode order: a frame's time is its
episode's start plus its `timestamp` (seconds from the episode start), and each episode starts
one frame period after the previous one's last frame. Each episode is a task episode: a
`start` event with its task text at its first frame and, when the data has a `next.success`
column, `success` or `failure` at its last frame from that frame's value; without one the
episode stays incomplete. `observation.state` gives /joint_states positions, `action`
/joint_commands positions. The control mode is `teleoperated` from the first frame, unless a
`control_mode` column gives it per frame (names, or integer codes named in info.json as robotwork
exports them). Camera videos come last, as camera frames (`lerobot_videos.py`).

Layout (huggingface/lerobot `datasets/utils.py`): `meta/info.json`, `meta/tasks.parquet`,
`meta/episodes/chunk-NNN/file-NNN.parquet` and `data/chunk-NNN/file-NNN.parquet`.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from robotwork.errors import IngestError
from robotwork.ingest.readers._events import EventTable, Row, event_row
from robotwork.ingest.readers._joints import JointRows, JointTable
from robotwork.ingest.readers.lerobot_videos import (
    IMAGES_PREFIX,
    NOT_READ,
    EpisodeVideo,
    VideoFrames,
    episode_videos,
    video_keys,
)
from robotwork.ingest.readers.rosbag2 import natural_key
from robotwork.store.schema import (
    CONTROL_MODE,
    JOINT_COMMANDS,
    JOINT_STATES,
    TASKS,
    RecordingInfo,
    TableBatch,
)

INFO_PATH = "meta/info.json"
TASKS_PATH = "meta/tasks.parquet"
EPISODES_GLOB = "meta/episodes/chunk-*/file-*.parquet"
DATA_GLOB = "data/chunk-*/file-*.parquet"
CODEBASE_VERSION = "v3.0"
STATE, ACTION, SUCCESS, MODE = "observation.state", "action", "next.success", "control_mode"
_FRAME_COLUMNS = ("timestamp", "episode_index", "task_index")
_TOPIC_OF = {
    JOINT_STATES: "/joint_states",
    JOINT_COMMANDS: "/joint_commands",
    TASKS: "/robotwork/task",
    CONTROL_MODE: "/robotwork/control_mode",
}


def open_lerobot(folder: Path, *, start_ns: int | None) -> "LeRobotRecording":
    """Open a LeRobot v3.0 dataset folder laid out from `start_ns` (required)."""
    if start_ns is None:
        raise IngestError(f"{folder}: a LeRobot dataset has no wall-clock time; --start is required")
    return LeRobotRecording(_read_meta(folder), start_ns)


@dataclass(frozen=True)
class _Meta:
    """What `meta/` says about the dataset."""

    folder: Path
    period_ns: int
    joint_names: list[str]
    columns: tuple[str, ...]  # of STATE, ACTION: the ones present
    tasks: dict[int, str]
    lengths: dict[int, int]  # frames per episode
    files: list[Path]
    videos: dict[str, list[EpisodeVideo]]  # per camera feature: its episodes' places in its videos
    mode_names: list[str]  # a control_mode column of integer codes: the names info.json gives them


class LeRobotRecording:
    """A LeRobot dataset as a recording; `identity` is empty (the caller names the robot)."""

    def __init__(self, meta: _Meta, start_ns: int) -> None:
        self._meta = meta
        self._start_ns = start_ns
        self.identity: dict[str, str] = {}
        self.info = RecordingInfo(joint_names=list(meta.joint_names))

    def batches(self, batch_rows: int = 65536) -> Iterator[TableBatch]:
        """Stream the frames as joint and event batches of at most `batch_rows` rows."""
        if batch_rows < 1:
            raise ValueError("batch_rows must be positive")
        self.info = RecordingInfo(joint_names=list(self._meta.joint_names))
        timeline = _Timeline(self._meta, self._start_ns)
        joints = {STATE: JointTable(JOINT_STATES), ACTION: JointTable(JOINT_COMMANDS)}
        events = {TASKS: EventTable(TASKS), CONTROL_MODE: EventTable(CONTROL_MODE)}
        tables: list[JointTable | EventTable] = [*joints.values(), *events.values()]
        n = len(self._meta.joint_names)
        for path in self._meta.files:
            for first_row, batch in _frames(path, batch_rows):
                try:
                    times = timeline.place(path, first_row, batch)
                    positions = {c: _positions(batch, c, n, path, first_row) for c in self._meta.columns}
                except (pa.ArrowException, ValueError, TypeError) as exc:
                    raise IngestError(
                        f"{path}: rows {first_row} to {first_row + len(batch) - 1}"
                        f": unreadable frame columns ({exc})"
                    ) from None
                for column, position in positions.items():
                    joints[column].add(JointRows(times, position))
                    self._count(joints[column].table, column, times)
                self._drain(timeline, events)
                for accumulator in tables:
                    yield from accumulator.batches(batch_rows)
        timeline.finish()
        self._drain(timeline, events)
        for accumulator in tables:
            yield from accumulator.batches(batch_rows, final=True)
        yield from self._cameras(timeline.starts)

    def _cameras(self, starts: dict[int, int]) -> Iterator[TableBatch]:
        """Camera frames from the dataset's videos (none without PyAV: info.topics says so)."""
        if not self._meta.videos:
            return
        frames = VideoFrames(self._meta.videos)
        if frames.av is None:
            for key in self._meta.videos:
                self.info.topics[key] = (NOT_READ, 0)
            return
        for tb in frames.batches(starts):
            cameras = tb.batch.column("camera").to_pylist()
            times = tb.batch.column("time_ns").to_numpy()
            for camera in sorted(set(cameras)):
                topic = IMAGES_PREFIX + camera
                self.info.topics[topic] = (
                    "video",
                    self.info.topics.get(topic, ("", 0))[1] + cameras.count(camera),
                )
            self.info.messages += len(times)
            yield tb

    def _drain(self, timeline: "_Timeline", events: dict[str, EventTable]) -> None:
        """Move the events the timeline emitted into their tables."""
        for table, rows, source in (
            (TASKS, timeline.tasks, "task_index"),
            (CONTROL_MODE, timeline.modes, timeline.mode_source),
        ):
            events[table].add(rows)
            self._count(table, source, np.array([row[0] for row in rows], np.int64))
            rows.clear()

    def _count(self, table: str, source: str, times: np.ndarray) -> None:
        """info.topics lists the robotwork topic each table stands for, named by its source."""
        if not len(times):
            return
        topic = _TOPIC_OF[table]
        self.info.topics[topic] = (source, self.info.topics.get(topic, ("", 0))[1] + len(times))
        self.info.messages += len(times)
        start, end = int(times.min()), int(times.max())
        self.info.start_ns = start if self.info.start_ns is None else min(self.info.start_ns, start)
        self.info.end_ns = end if self.info.end_ns is None else max(self.info.end_ns, end)


class _Timeline:
    """Lays episodes end to end across batches and files, and emits their events."""

    def __init__(self, meta: _Meta, start_ns: int) -> None:
        self.meta = meta
        self.tasks: list[Row] = []
        self.modes: list[Row] = []
        self.mode_source = "teleoperated (default)"
        self.episode: int | None = None
        self.episode_start = start_ns
        self.frames = 0
        self.last_time = start_ns - meta.period_ns  # so that the first episode starts at start_ns
        self.last_success: bool | None = None
        self.last_mode: str | None = None
        self.task_text = ""
        self.seen: set[int] = set()
        self.starts: dict[int, int] = {}  # episode -> its start time, for the cameras

    def place(self, path: Path, first_row: int, batch: pa.RecordBatch) -> np.ndarray:
        """The frame times of `batch`; begins and ends episodes on the way."""
        episodes = batch.column("episode_index").to_numpy()
        offsets = np.round(batch.column("timestamp").to_numpy().astype(np.float64) * 1e9)
        offsets = offsets.astype(np.int64)
        success = (
            batch.column(SUCCESS).to_numpy(zero_copy_only=False) if SUCCESS in batch.schema.names else None
        )
        times = np.empty(len(episodes), np.int64)
        cuts = np.flatnonzero(np.diff(episodes)) + 1
        for a, b in zip(np.r_[0, cuts].tolist(), np.r_[cuts, len(episodes)].tolist(), strict=True):
            if int(episodes[a]) != self.episode:
                self._begin(int(episodes[a]), path, first_row + a, batch, a)
            times[a:b] = self.episode_start + offsets[a:b]
            self.frames += b - a
            self.last_time = int(times[b - 1])
            self.last_success = None if success is None else bool(success[b - 1])
        if MODE in batch.schema.names:
            self.mode_source = MODE
            self._modes(self._mode_values(batch.column(MODE)), times, path, first_row)
        elif self.last_mode is None and len(times):
            self.last_mode = "teleoperated"
            self.modes.append((int(times[0]), "teleoperated", None))
        return times

    def finish(self) -> None:
        """End the last episode; every episode of meta/episodes must have been seen."""
        if self.episode is not None:
            self._end(self.episode)
        missing = sorted(set(self.meta.lengths) - self.seen)
        if missing:
            raise IngestError(
                f"{self.meta.folder / 'meta/episodes'}: episode {missing[0]} has no frames in data/"
            )

    def _begin(self, episode: int, path: Path, row: int, batch: pa.RecordBatch, a: int) -> None:
        if self.episode is not None:
            if episode < self.episode:
                raise IngestError(
                    f"{path}: row {row}: episode {episode} after episode "
                    f"{self.episode}; frames must be in episode order"
                )
            self._end(self.episode)
        task_index = int(batch.column("task_index")[a].as_py())
        if task_index not in self.meta.tasks:
            raise IngestError(f"{path}: row {row}: task_index {task_index} is not in {TASKS_PATH}")
        self.episode, self.frames = episode, 0
        self.seen.add(episode)
        self.episode_start = self.last_time + self.meta.period_ns
        self.starts[episode] = self.episode_start
        first = self.episode_start + round(float(batch.column("timestamp")[a].as_py()) * 1e9)
        self.task_text = self.meta.tasks[task_index]
        self.tasks.append((first, "start", self.task_text))

    def _end(self, episode: int) -> None:
        expected = self.meta.lengths.get(episode)
        if expected is not None and expected != self.frames:
            raise IngestError(
                f"{self.meta.folder / 'meta/episodes'}: episode {episode} "
                f"has length {expected} but {self.frames} frames in data/"
            )
        if self.last_success is not None:
            outcome = "success" if self.last_success else "failure"
            self.tasks.append((self.last_time, outcome, self.task_text))

    def _mode_values(self, column: pa.Array) -> list:
        """Mode names; integer codes (as robotwork exports them) through info.json's names. Code
        `unknown` (before a robot's first mode message) is no mode: the last one holds."""
        values = column.to_pylist()
        if not pa.types.is_integer(column.type) or not self.meta.mode_names:
            return values
        names = self.meta.mode_names
        return [names[v] if isinstance(v, int) and 0 <= v < len(names) else v for v in values]

    def _modes(self, modes: list, times: np.ndarray, path: Path, first_row: int) -> None:
        for row, (mode, time) in enumerate(zip(modes, times.tolist(), strict=True)):
            if mode == "unknown":
                continue
            if mode != self.last_mode:
                try:
                    self.modes.append(event_row(CONTROL_MODE, time, {"mode": mode}))
                except (TypeError, ValueError) as exc:
                    raise IngestError(f"{path}: row {first_row + row}: {exc}") from None
                self.last_mode = mode


def _read_meta(folder: Path) -> _Meta:
    """Read `meta/`: info.json (version, fps, features), tasks and episode lengths."""
    info = _read_info(folder / INFO_PATH)
    features = info.get("features") or {}
    columns = tuple(c for c in (STATE, ACTION) if c in features)
    if not isinstance(features, dict) or not all(isinstance(features[c], dict) for c in columns):
        raise IngestError(f"{folder / INFO_PATH}: features is not a map of feature maps")
    if not columns:
        raise IngestError(f"{folder / INFO_PATH}: no {STATE} or {ACTION} feature")
    sizes = {c: _size(features[c], folder / INFO_PATH, c) for c in columns}
    if len(set(sizes.values())) > 1:
        raise IngestError(
            f"{folder / INFO_PATH}: {ACTION} has {sizes[ACTION]} values but "
            f"{STATE} {sizes[STATE]}; robotwork needs one joint layout"
        )
    n = sizes[columns[0]]
    names = _names(features[columns[0]].get("names"))
    files = _numbered(folder, DATA_GLOB)
    if not files:
        raise IngestError(f"{folder}: no {DATA_GLOB} files")
    cameras = video_keys(features)
    videos = episode_videos(folder, info, cameras, _numbered(folder, EPISODES_GLOB)) if cameras else {}
    return _Meta(
        folder,
        round(1e9 / info["fps"]),
        names if len(names) == n else [f"joint_{i}" for i in range(n)],
        columns,
        _read_tasks(folder / TASKS_PATH),
        _read_lengths(folder),
        files,
        videos,
        _names((features.get(MODE) or {}).get("names")) if isinstance(features.get(MODE), dict) else [],
    )


def _read_info(path: Path) -> dict:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IngestError(f"{path}: not readable JSON ({exc})") from None
    version = info.get("codebase_version") if isinstance(info, dict) else None
    if version != CODEBASE_VERSION:
        raise IngestError(
            f"{path}: LeRobot format {version} is not supported; convert it to "
            f"{CODEBASE_VERSION} with lerobot's "
            "`python -m lerobot.datasets.v30.convert_dataset_v21_to_v30`"
        )
    fps = info.get("fps")
    if not isinstance(fps, int | float) or fps <= 0:
        raise IngestError(f"{path}: fps {fps!r} is not a positive number")
    return info


def _size(feature: dict, path: Path, column: str) -> int:
    shape = feature.get("shape") or []
    if len(shape) != 1 or not isinstance(shape[0], int) or shape[0] < 1:
        raise IngestError(f"{path}: {column} has shape {shape}, not one joint vector")
    return shape[0]


def _names(names: object) -> list[str]:
    """Feature names: a list, or (older datasets) a dict holding one list, e.g. {"motors": [..]}."""
    if isinstance(names, dict) and len(names) == 1:
        names = next(iter(names.values()))
    return [str(n) for n in names] if isinstance(names, list) else []


def _read_tasks(path: Path) -> dict[int, str]:
    """task_index -> task text; the text is the pandas index LeRobot writes (any name)."""
    table = _read_parquet(path)
    texts = [
        c for c in table.column_names if c != "task_index" and pa.types.is_string(table.schema.field(c).type)
    ]
    if "task_index" not in table.column_names or not texts:
        raise IngestError(f"{path}: no task_index and task text columns")
    return dict(zip(table.column("task_index").to_pylist(), table.column(texts[0]).to_pylist(), strict=True))


def _read_lengths(folder: Path) -> dict[int, int]:
    """Frames per episode, from meta/episodes (only the two columns; stats are skipped)."""
    files = _numbered(folder, EPISODES_GLOB)
    if not files:
        raise IngestError(f"{folder}: no {EPISODES_GLOB} files")
    lengths: dict[int, int] = {}
    for path in files:
        table = _read_parquet(path, ["episode_index", "length"])
        lengths.update(
            zip(table.column("episode_index").to_pylist(), table.column("length").to_pylist(), strict=True)
        )
    return lengths


def _read_parquet(path: Path, columns: list[str] | None = None) -> pa.Table:
    try:
        return pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowException) as exc:
        raise IngestError(f"{path}: not readable Parquet ({exc})") from None


def _frames(path: Path, batch_rows: int) -> Iterator[tuple[int, pa.RecordBatch]]:
    """(first row, batch) of a data file, streamed; only the columns robotwork uses."""
    try:
        data = pq.ParquetFile(path)
        names = data.schema_arrow.names
        missing = [c for c in _FRAME_COLUMNS if c not in names]
        if missing:
            raise IngestError(f"{path}: no {missing[0]} column")
        wanted = [c for c in (*_FRAME_COLUMNS, STATE, ACTION, SUCCESS, MODE) if c in names]
        row = 0
        for batch in data.iter_batches(batch_size=batch_rows, columns=wanted):
            yield row, batch
            row += batch.num_rows
    except (OSError, pa.ArrowException) as exc:
        raise IngestError(f"{path}: not readable Parquet ({exc})") from None


def _positions(batch: pa.RecordBatch, column: str, n: int, path: Path, first_row: int) -> np.ndarray:
    """A joint-vector column as an (N, n) float64 array; every row must hold n values."""
    if column not in batch.schema.names:
        raise IngestError(f"{path}: no {column} column")
    array = batch.column(column)
    if not (
        pa.types.is_list(array.type)
        or pa.types.is_fixed_size_list(array.type)
        or pa.types.is_large_list(array.type)
    ):
        raise IngestError(f"{path}: {column} is {array.type}, not a list of joint values")
    lengths = pc.fill_null(pc.list_value_length(array), -1).to_numpy()
    bad = np.flatnonzero(lengths != n)
    if len(bad):
        raise IngestError(
            f"{path}: row {first_row + int(bad[0])}: {column} has "
            f"{max(int(lengths[bad[0]]), 0)} values, not {n}"
        )
    values = array.flatten().to_numpy(zero_copy_only=False)
    return values.astype(np.float64).reshape(len(array), n)


def _numbered(folder: Path, pattern: str) -> list[Path]:
    """The files matching `pattern`, in chunk and file number order."""
    return sorted(folder.glob(pattern), key=lambda p: natural_key(p.relative_to(folder).as_posix()))
