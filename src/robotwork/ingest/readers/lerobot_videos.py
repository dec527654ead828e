"""The camera videos of a LeRobot v3.0 dataset, read back into camera frames (rows of `images`).

A LeRobot dataset keeps each camera (`observation.images.<name>`, dtype `video`) as MP4 files of
several episodes each; `meta/episodes` says which file holds an episode and from which time
(`videos/<key>/from_timestamp` to `to_timestamp`). Each file is decoded once, front to back
(PyAV, the optional `video` extra), and every picture becomes a JPEG frame of camera `<name>` at
its episode's start (as the reader laid it out) plus its time in the episode, so a dataset that
comes in with cameras goes out with them again. Frames are handed on in batches of about 32 MiB.
Without PyAV the cameras are not read; `info.topics` says so.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from robotwork.errors import IngestError
from robotwork.pictures import is_full_range
from robotwork.store.schema import IMAGE_SCHEMA, IMAGES, TableBatch, camera_name

IMAGES_PREFIX = "observation.images."
BATCH_BYTES = 32 * 2**20
NOT_READ = "video, not read: install robotwork[video] (PyAV) to keep it"
_EPSILON_S = 1e-6  # presentation times are k / fps in float seconds


@dataclass(frozen=True)
class EpisodeVideo:
    """Where one episode of one camera is: its file, and its span in that file (seconds)."""

    episode: int
    path: Path
    start_s: float
    end_s: float


def video_keys(features: dict[str, Any]) -> list[str]:
    """The camera features kept as videos."""
    return sorted(k for k, f in features.items() if isinstance(f, dict) and f.get("dtype") == "video")


def episode_videos(
    folder: Path, info: dict[str, Any], keys: list[str], files: list[Path]
) -> dict[str, list[EpisodeVideo]]:
    """Per camera key, its episodes' places in the video files, in file and time order."""
    template = info.get("video_path")
    if not isinstance(template, str):
        raise IngestError(f"{folder / 'meta/info.json'}: video features but no video_path")
    places: dict[str, list[EpisodeVideo]] = {key: [] for key in keys}
    columns = ["episode_index"] + [
        f"videos/{k}/{c}"
        for k in keys
        for c in ("chunk_index", "file_index", "from_timestamp", "to_timestamp")
    ]
    for path in files:
        try:
            table = pq.read_table(path, columns=columns)
        except (OSError, pa.ArrowException) as exc:
            raise IngestError(f"{path}: no video columns for {', '.join(keys)} ({exc})") from None
        for row in table.to_pylist():
            for key in keys:
                video = folder / template.format(
                    video_key=key,
                    chunk_index=row[f"videos/{key}/chunk_index"],
                    file_index=row[f"videos/{key}/file_index"],
                )
                span = (row[f"videos/{key}/from_timestamp"], row[f"videos/{key}/to_timestamp"])
                places[key].append(EpisodeVideo(row["episode_index"], video, float(span[0]), float(span[1])))
    return {key: sorted(v, key=lambda e: (str(e.path), e.start_s)) for key, v in places.items()}


def _av() -> ModuleType | None:
    try:
        import av
    except ImportError:
        return None
    return av


class VideoFrames:
    """Camera frames of a LeRobot dataset's videos as `images` batches."""

    def __init__(self, places: dict[str, list[EpisodeVideo]]) -> None:
        self.places = places
        self.av = _av()

    def batches(self, episode_starts: dict[int, int]) -> Iterator[TableBatch]:
        """Every picture of every camera, at `episode_starts[episode]` + its time in the episode."""
        rows: list[tuple[int, str, bytes]] = []
        size = 0
        for key, places in self.places.items():
            camera = camera_name(key.removeprefix(IMAGES_PREFIX))
            for time_ns, data in self._camera(places, episode_starts):
                rows.append((time_ns, camera, data))
                size += len(data)
                if size >= BATCH_BYTES:
                    yield _batch(rows)
                    rows, size = [], 0
        if rows:
            yield _batch(rows)

    def _camera(self, places: list[EpisodeVideo], starts: dict[int, int]) -> Iterator[tuple[int, bytes]]:
        assert self.av is not None
        by_file: dict[Path, list[EpisodeVideo]] = {}
        for place in places:
            by_file.setdefault(place.path, []).append(place)
        for path, episodes in by_file.items():
            if not path.is_file():
                raise IngestError(f"{path}: no such video file (named by meta/episodes)")
            k = 0  # pictures come in time order, and so do the file's episodes
            try:
                with self.av.open(str(path)) as container:
                    for picture in container.decode(video=0):
                        t = float(picture.pts * picture.time_base)
                        while k < len(episodes) and t >= episodes[k].end_s - _EPSILON_S:
                            k += 1
                        if k == len(episodes):
                            break
                        episode = episodes[k]
                        if t >= episode.start_s - _EPSILON_S and episode.episode in starts:
                            offset = round((t - episode.start_s) * 1e9)
                            yield starts[episode.episode] + offset, _jpeg(self.av, picture)
            except self.av.FFmpegError as exc:
                raise IngestError(f"{path}: not a readable video ({exc})") from None


def _jpeg(av: ModuleType, picture: Any) -> bytes:
    """A picture as JPEG bytes (FFmpeg's mjpeg, full-range 4:2:0 as cameras send it)."""
    source = "JPEG" if is_full_range(picture) else "MPEG"
    full = picture.reformat(format="yuvj420p", src_color_range=source, dst_color_range="JPEG")
    codec = av.CodecContext.create("mjpeg", "w")
    codec.width, codec.height, codec.pix_fmt = full.width, full.height, "yuvj420p"
    return b"".join(bytes(p) for p in codec.encode(full) + codec.encode(None))


def _batch(rows: list[tuple[int, str, bytes]]) -> TableBatch:
    times, cameras, data = zip(*rows, strict=True)
    batch = pa.record_batch(
        [
            pa.array(np.array(times, np.int64)),
            pa.array(cameras),
            pa.array(["jpeg"] * len(rows)),
            pa.array(data, pa.binary()),
        ],
        schema=IMAGE_SCHEMA,
    )
    return TableBatch(IMAGES, batch)
