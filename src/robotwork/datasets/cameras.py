"""Camera frames of a stored recording, as the exporter reads them: which cameras a recording has,
where each of their frames is, and the frames an episode needs, streamed row group by row group.

Only the small `time_ns` and `camera` columns are read to index a recording; frame bytes are read
one row group at a time while an episode is encoded, so a recording's frames are never all in
memory, however long it is.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from robotwork.store.read import open_part
from robotwork.store.schema import IMAGES
from robotwork.store.telemetry import TelemetryStore


@dataclass(frozen=True)
class CameraFrames:
    """One camera's frames of one recording, in time order: their times, and for each frame the
    row group (an index into `groups`: file and row group number) and the row within it."""

    camera: str
    times: np.ndarray
    group: np.ndarray
    row: np.ndarray
    groups: list[tuple[str, int]]


@dataclass(frozen=True)
class Frame:
    """One stored camera frame: its number among the camera's frames, codec and bytes."""

    number: int
    time_ns: int
    format: str
    data: bytes


def _image_files(files: list[str]) -> list[str]:
    return sorted(rel for rel in files if rel.split("/", 1)[0] == IMAGES)


def camera_names(store: TelemetryStore, files: list[str]) -> set[str]:
    """The cameras a recording has frames of (reads only the `camera` column)."""
    names: set[str] = set()
    for rel in _image_files(files):
        with open_part(store, rel) as parquet:
            column = parquet.read(columns=["camera"], use_threads=False).column("camera")
        names.update(column.unique().to_pylist())
    return names


def camera_index(store: TelemetryStore, files: list[str]) -> dict[str, CameraFrames]:
    """Where every frame of every camera of a recording is, sorted by time (stable)."""
    groups: list[tuple[str, int]] = []
    parts: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    for rel in _image_files(files):
        with open_part(store, rel) as parquet:
            tables = [
                parquet.read_row_group(number, columns=["time_ns", "camera"], use_threads=False)
                for number in range(parquet.num_row_groups)
            ]
        for number, table in enumerate(tables):
            cameras = table.column("camera").to_numpy(zero_copy_only=False)
            times = table.column("time_ns").to_numpy()
            for camera in np.unique(cameras).tolist():
                rows = np.flatnonzero(cameras == camera)
                parts.setdefault(camera, []).append((times[rows], np.full(len(rows), len(groups)), rows))
            groups.append((rel, number))
    index = {}
    for camera, pieces in sorted(parts.items()):
        times, group, row = (np.concatenate(column) for column in zip(*pieces, strict=True))
        order = np.argsort(times, kind="stable")
        index[camera] = CameraFrames(camera, times[order], group[order], row[order], groups)
    return index


def read_frames(store: TelemetryStore, camera: CameraFrames, numbers: np.ndarray) -> Iterator[Frame]:
    """The frames `numbers` (indices into the camera's frames) in the order given; a row group is
    read again only when the numbers go back to it, so a forward walk reads each one once."""
    held: tuple[int, pa.Table] | None = None
    for number in numbers.tolist():
        group = int(camera.group[number])
        if held is None or held[0] != group:
            rel, row_group = camera.groups[group]
            with open_part(store, rel) as parquet:
                held = (group, parquet.read_row_group(row_group, columns=["format", "data"]))
        row = int(camera.row[number])
        yield Frame(
            number,
            int(camera.times[number]),
            held[1].column("format")[row].as_py(),
            held[1].column("data")[row].as_py(),
        )
