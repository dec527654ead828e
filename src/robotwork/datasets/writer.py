"""Writing a LeRobot v3.0 dataset folder directly with pyarrow, an episode at a time.

Bytes are deterministic: no times or random ids inside, fixed compression and row-group size,
rows in the order given. Data files rotate at episode boundaries once the open file has reached
`data_file_bytes` (LeRobot keeps an episode in one file), so a file may overshoot by one row group
and one episode. Camera features (dtype `video`) are not in the data files: each has its own MP4
files (`robotwork.datasets.video`, imported only when a dataset has cameras).
"""

import json
import math
from collections import deque
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from robotwork import __version__
from robotwork.datasets.layout import (
    CHUNKS_SIZE,
    CODEBASE_VERSION,
    DATA_PATH,
    EPISODES_PATH,
    INFO_PATH,
    STATS_PATH,
    TASKS_PATH,
    VIDEO_FILE_BYTES,
    VIDEO_PATH,
    next_file,
)
from robotwork.datasets.stats import RunningStats, episode_stats

DATA_FILE_BYTES = 100 * 2**20
ROW_GROUP_ROWS = 16_384
STATS_BACKLOG = 8  # episodes waiting for their statistics before add_episode waits
INDEX_FEATURES = ("timestamp", "frame_index", "episode_index", "index", "task_index")
_PARQUET = {"compression": "zstd", "compression_level": 3, "use_dictionary": False, "write_statistics": True}


def write_json(doc: Any, path: Path) -> None:
    """JSON as LeRobot writes it (4-space indent, UTF-8), ending with a newline."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")


def scalar(dtype: str, names: Any = None) -> dict[str, Any]:
    """A LeRobot feature of shape (1,)."""
    return {"dtype": dtype, "shape": [1], "names": names}


def _arrow_type(feature: dict[str, Any]) -> pa.DataType:
    base = pa.from_numpy_dtype(np.dtype(feature["dtype"]))
    return base if feature["shape"] == [1] else pa.list_(base, feature["shape"][0])


def _hf_feature(feature: dict[str, Any]) -> dict[str, Any]:
    value = {"dtype": feature["dtype"], "_type": "Value"}
    if feature["shape"] == [1]:
        return value
    return {"feature": value, "length": feature["shape"][0], "_type": "List"}


def is_video(feature: dict[str, Any]) -> bool:
    """A camera feature: its frames are in video files, not in the data files."""
    return bool(feature["dtype"] == "video")


def data_schema(features: dict[str, dict[str, Any]]) -> pa.Schema:
    """The data files' schema, with the `huggingface` metadata LeRobot's loader understands."""
    columns = {k: f for k, f in features.items() if not is_video(f)}
    hf = {"info": {"features": {k: _hf_feature(f) for k, f in columns.items()}}}
    fields = [pa.field(k, _arrow_type(f)) for k, f in columns.items()]
    return pa.schema(fields, metadata={"huggingface": json.dumps(hf)})


def _list_column(values: list[np.ndarray], typ: pa.DataType) -> pa.Array:
    """One list per episode from its numpy array; a camera's lists hold one [[x]] per channel."""
    offsets = np.concatenate([[0], np.cumsum([len(v) for v in values])]).astype(np.int32)
    flat: pa.Array = pa.array(np.concatenate(values))
    item = typ.value_type
    if pa.types.is_list(item):  # (3, 1, 1): wrap every value twice
        single = np.arange(len(flat) + 1, dtype=np.int32)
        flat = pa.ListArray.from_arrays(single, pa.ListArray.from_arrays(single, flat))
    return pa.ListArray.from_arrays(offsets, flat, type=typ)


def _per_channel(doc: dict[str, Any]) -> dict[str, Any]:
    """A camera's statistics in LeRobot's shape (3, 1, 1); `count` stays a list of one int."""
    return {k: v if k == "count" else [[[x]] for x in v] for k, v in doc.items()}


def _column(values: np.ndarray, typ: pa.DataType) -> pa.Array:
    if pa.types.is_fixed_size_list(typ):
        flat = pa.array(np.ascontiguousarray(values).reshape(-1), type=typ.value_type)
        return pa.FixedSizeListArray.from_arrays(flat, typ.list_size)
    return pa.array(values, type=typ)


@dataclass
class EpisodeRow:
    """One row of the episodes metadata, kept until the dataset is finished; its statistics
    arrive from the statistics thread."""

    columns: dict[str, Any]
    stats: "Future[dict[str, Any]]"
    extra: dict[str, Any]

    def row(self) -> dict[str, Any]:
        """LeRobot's columns in its order (statistics, then where the row sits), then robotwork's."""
        meta = {"meta/episodes/chunk_index": 0, "meta/episodes/file_index": 0}
        return {**self.columns, **self.stats.result(), **meta, **self.extra}


@dataclass
class DatasetWriter:
    """Writes data files as episodes arrive; `finish` writes the metadata files.

    Statistics are computed on one thread of their own, episode after episode in order (so the
    dataset sketch is the same on every run), while the caller goes on resampling and writing:
    sorting and Parquet encoding both release the GIL. Use it as a context manager so that thread
    and the open file are let go of when an export fails half-way.
    """

    root: Path
    features: dict[str, dict[str, Any]]
    fps: int
    robot_type: str | None = None
    data_file_bytes: int = DATA_FILE_BYTES
    row_group_rows: int = ROW_GROUP_ROWS
    frames: int = 0
    tasks: dict[str, int] = field(default_factory=dict)
    episodes: list[EpisodeRow] = field(default_factory=list)
    _stats: dict[str, RunningStats] = field(default_factory=dict)
    _file: tuple[int, int] = (0, 0)
    _writer: pq.ParquetWriter | None = None
    _sink: Any = None
    _buffer: list[pa.Table] = field(default_factory=list)
    _buffered: int = 0
    _backlog: deque["Future[dict[str, Any]]"] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self.schema = data_schema(self.features)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dataset-stats")
        self.videos: dict[str, Any] = {}
        cameras = {k: f for k, f in self.features.items() if is_video(f)}
        if cameras:
            from robotwork.datasets.video import VideoTrack  # PyAV is an optional extra

            self.videos = {
                k: VideoTrack(self.root, k, self.fps, width=f["shape"][1], height=f["shape"][0])
                for k, f in cameras.items()
            }

    def __enter__(self) -> "DatasetWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        for track in self.videos.values():
            track.discard()
        if self._writer is not None:
            self._writer.close()
            self._sink.close()
            self._writer = None

    def add_episode(
        self,
        values: dict[str, np.ndarray],
        task: str,
        extra: dict[str, Any],
        videos: Mapping[str, Iterable[Any]] | None = None,
    ) -> int:
        """Append one episode (arrays per data feature, equal lengths, and an iterable of video
        frames per camera feature, one per frame); return its index."""
        n = len(next(iter(values.values())))
        episode_index = len(self.episodes)
        task_index = self.tasks.setdefault(task, len(self.tasks))
        frame_index = np.arange(n, dtype=np.int64)
        full = {
            **values,
            "timestamp": (frame_index / self.fps).astype(np.float32),
            "frame_index": frame_index,
            "episode_index": np.full(n, episode_index, dtype=np.int64),
            "index": frame_index + self.frames,
            "task_index": np.full(n, task_index, dtype=np.int64),
        }
        self._open_file()
        columns = [_column(full[field.name], field.type) for field in self.schema]
        self._append(pa.Table.from_arrays(columns, schema=self.schema))
        row: dict[str, Any] = {
            "episode_index": episode_index,
            "tasks": [task],
            "length": n,
            "data/chunk_index": self._file[0],
            "data/file_index": self._file[1],
            "dataset_from_index": self.frames,
            "dataset_to_index": self.frames + n,
        }
        samples = {name: full[name] for name in self.schema.names}
        for key, track in self.videos.items():
            located, samples[key] = track.add_episode((videos or {})[key], n)
            row.update(located)
        stats = self._pool.submit(self._episode_stats, samples)
        self._backlog.append(stats)
        if len(self._backlog) > STATS_BACKLOG:
            self._backlog.popleft().result()  # bounds the episodes held in memory
        self.episodes.append(EpisodeRow(row, stats, extra))
        self.frames += n
        return episode_index

    def _episode_stats(self, columns: dict[str, np.ndarray]) -> dict[str, Any]:
        """On the statistics thread: one episode's exact stats, merged into the dataset's. A
        camera's are over the pixels of its sampled frames (RGB in [0, 1], per channel)."""
        out: dict[str, Any] = {}
        for name, (stats, ordered) in episode_stats(columns).items():
            self._stats.setdefault(name, RunningStats()).add(stats, ordered)
            out.update({f"stats/{name}/{k}": v for k, v in stats.items()})
        return out

    def _shaped(self, name: str, doc: dict[str, Any]) -> dict[str, Any]:
        return _per_channel(doc) if name in self.videos else doc

    def _open_file(self) -> None:
        """Open the first data file, or rotate once the open one has reached its size."""
        if self._writer is not None and self._sink.tell() < self.data_file_bytes:
            return
        if self._writer is not None:
            self._close_file()
            self._file = next_file(*self._file)
        path = self.root / DATA_PATH.format(chunk_index=self._file[0], file_index=self._file[1])
        path.parent.mkdir(parents=True, exist_ok=True)
        self._sink = pa.OSFile(str(path), "wb")
        self._writer = pq.ParquetWriter(self._sink, self.schema, **_PARQUET)

    def _append(self, table: pa.Table) -> None:
        self._buffer.append(table)
        self._buffered += table.num_rows
        if self._buffered >= self.row_group_rows:
            self._flush(whole_groups_only=True)

    def _flush(self, *, whole_groups_only: bool) -> None:
        if not self._buffer or self._writer is None:
            return
        table = pa.concat_tables(self._buffer)
        cut = (
            (table.num_rows // self.row_group_rows) * self.row_group_rows
            if whole_groups_only
            else table.num_rows
        )
        if cut:
            self._writer.write_table(table.slice(0, cut), row_group_size=self.row_group_rows)
        rest = table.slice(cut)
        self._buffer, self._buffered = ([rest] if rest.num_rows else []), rest.num_rows

    def _close_file(self) -> None:
        self._flush(whole_groups_only=False)
        assert self._writer is not None
        self._writer.close()
        self._sink.close()
        self._writer = None

    def finish(self, splits: dict[str, str]) -> dict[str, Any]:
        """Close the data and video files and write info, stats, tasks and episodes; return info.json."""
        if self._writer is not None:
            self._close_file()
        for track in self.videos.values():
            track.close()
        self._write_episodes()  # waits for every episode's statistics: the dataset's are then whole
        self._write_tasks()
        stats = {name: self._shaped(name, s.result()) for name, s in self._stats.items()}
        write_json(stats, self.root / STATS_PATH)
        info = self.info(splits)
        write_json(info, self.root / INFO_PATH)
        return info

    def info(self, splits: dict[str, str]) -> dict[str, Any]:
        """The info.json document, keys in LeRobot's order."""
        return {
            "codebase_version": CODEBASE_VERSION,
            "fps": self.fps,
            "features": self.features,
            "total_episodes": len(self.episodes),
            "total_frames": self.frames,
            "total_tasks": len(self.tasks),
            "chunks_size": CHUNKS_SIZE,
            "data_files_size_in_mb": max(1, math.ceil(self.data_file_bytes / 2**20)),
            "video_files_size_in_mb": VIDEO_FILE_BYTES // 2**20,
            "data_path": DATA_PATH,
            "video_path": VIDEO_PATH if self.videos else None,
            "robot_type": self.robot_type,
            "splits": splits,
        }

    def _write_episodes(self) -> None:
        """Column by column: the statistics stay numpy arrays until they become Arrow lists (as
        Python lists of floats they would cost several times the memory, per episode)."""
        rows = [e.row() for e in self.episodes]
        schema = self._episodes_schema(rows[0])
        columns = [
            _list_column([r[f.name] for r in rows], f.type)
            if f.name.startswith("stats/")
            else pa.array([r[f.name] for r in rows], type=f.type)
            for f in schema
        ]
        table = pa.Table.from_arrays(columns, schema=schema)
        path = self.root / EPISODES_PATH.format(chunk_index=0, file_index=0)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path, **_PARQUET)

    def _episodes_schema(self, row: dict[str, Any]) -> pa.Schema:
        fields = []
        for key, value in row.items():
            if key == "tasks":
                typ: pa.DataType = pa.list_(pa.string())
            elif key.startswith("stats/"):
                item: pa.DataType = pa.int64() if key.endswith("/count") else pa.float64()
                nested = not key.endswith("/count") and key.split("/")[1] in self.videos
                typ = pa.list_(pa.list_(pa.list_(item))) if nested else pa.list_(item)
            elif key.endswith("_timestamp"):
                typ = pa.float64()
            elif isinstance(value, str) or value is None:
                typ = pa.string()
            else:
                typ = pa.int64()
            fields.append(pa.field(key, typ))
        return pa.schema(fields)

    def _write_tasks(self) -> None:
        """tasks.parquet as pandas writes it: LeRobot reads it with the task text as the index."""
        pandas_meta = {
            "index_columns": ["task"],
            "column_indexes": [
                {
                    "name": None,
                    "field_name": None,
                    "pandas_type": "unicode",
                    "numpy_type": "object",
                    "metadata": {"encoding": "UTF-8"},
                }
            ],
            "columns": [
                {
                    "name": "task_index",
                    "field_name": "task_index",
                    "pandas_type": "int64",
                    "numpy_type": "int64",
                    "metadata": None,
                },
                {
                    "name": "task",
                    "field_name": "task",
                    "pandas_type": "unicode",
                    "numpy_type": "object",
                    "metadata": None,
                },
            ],
            "attributes": {},
            "creator": {"library": "robotwork", "version": __version__},
            "pandas_version": "2.2.0",
        }
        schema = pa.schema(
            [pa.field("task_index", pa.int64()), pa.field("task", pa.string())],
            metadata={"pandas": json.dumps(pandas_meta)},
        )
        table = pa.table({"task_index": list(self.tasks.values()), "task": list(self.tasks)}, schema=schema)
        pq.write_table(table, self.root / TASKS_PATH, **_PARQUET)
