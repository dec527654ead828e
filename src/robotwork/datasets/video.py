"""Camera frames to LeRobot videos, through FFmpeg's libraries (PyAV, the optional `video` extra).

Frames are decoded from the JPEG / PNG bytes robots sent, converted once to the video's size and
pixel format, and encoded as LeRobot encodes them by default: AV1 (libsvtav1) in MP4, yuv420p,
a keyframe every 2 frames, CRF 30, preset 12. A frame's presentation time is exactly
``k / fps`` in its file, so LeRobot finds frame k of an episode at ``from_timestamp + k / fps``.
Episodes are appended to one file per camera; a file is closed at an episode boundary once its
frames would make its size at a fixed estimate (1/50 of their raw yuv420p bytes). Not the bytes
the encoder has put out: libsvtav1 holds back a varying number of frames (13 to 17 seen here, by
thread timing), so a rule on its output would cut files at different episodes from run to run.
PyAV is imported only when a dataset has cameras.
"""

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from robotwork.datasets.cameras import Frame
from robotwork.datasets.layout import VIDEO_FILE_BYTES, VIDEO_PATH, next_file
from robotwork.datasets.selection import DatasetError
from robotwork.pictures import is_full_range

CODEC, CODEC_NAME, PIX_FMT = "libsvtav1", "av1", "yuv420p"
GOP, CRF, PRESET = 2, 30, 12
MIN_SIDE = 4  # the smallest picture libsvtav1 encodes
RAW_PER_ENCODED = 50  # the size estimate of a video file: raw yuv420p frames shrink about 50 times
STATS_FRAMES = 16  # frames per episode sampled for the statistics
STATS_SIDE = 64  # ... each scaled to at most this many pixels on its longer side
_DECODERS = {"jpeg": "mjpeg", "png": "png"}


def require_av() -> ModuleType:
    """PyAV, or a one-line answer saying how to get it."""
    try:
        import av
    except ImportError:
        raise DatasetError(
            "the selection has camera frames: install the video extra (pip install 'robotwork[video]') "
            "or export without them (--no-videos)"
        ) from None
    os.environ.setdefault("SVT_LOG", "1")  # libsvtav1 prints its banner on every file otherwise
    return av


def video_feature(width: int, height: int, fps: int) -> dict[str, Any]:
    """The LeRobot feature of a camera, with the `info` LeRobot writes for its own videos."""
    return {
        "dtype": "video",
        "shape": [height, width, 3],
        "names": ["height", "width", "channels"],
        "info": {
            "video.height": height,
            "video.width": width,
            "video.codec": CODEC_NAME,
            "video.pix_fmt": PIX_FMT,
            "video.fps": fps,
            "video.channels": 3,
            "video.g": GOP,
            "video.crf": CRF,
            "video.preset": PRESET,
            "has_audio": False,
            "is_depth_map": False,
        },
    }


class FrameDecoder:
    """Stored frames to video frames of one size and pixel format; a frame held over several
    dataset frames (the camera is slower than the dataset's fps) is decoded once."""

    def __init__(self) -> None:
        self._av = require_av()
        self.width, self.height = 0, 0
        self._last: tuple[int, Any] | None = None

    def decode(self, frame: Frame, where: str) -> Any:
        """The frame as decoded, in its own size and pixel format."""
        name = _DECODERS.get(frame.format)
        if name is None:
            raise DatasetError(f"{where}: frame {frame.number} has format {frame.format!r} (jpeg or png)")
        unreadable = f"{where}: frame {frame.number} is not a readable {frame.format}"
        try:
            # A fresh decoder per picture: FFmpeg's png decoder blends a packet into the picture
            # it decoded before (APNG), and camera frames are independent pictures.
            pictures = self._av.CodecContext.create(name, "r").decode(self._av.Packet(frame.data))
        except self._av.FFmpegError as exc:
            raise DatasetError(f"{unreadable}: {exc}") from None
        if not pictures:
            raise DatasetError(f"{unreadable}: no picture")
        return pictures[-1]

    def fit(self, frame: Frame, where: str) -> tuple[int, int]:
        """Take the video's (width, height) from a frame: its own, rounded down to even."""
        picture = self.decode(frame, where)
        self.width, self.height = picture.width // 2 * 2, picture.height // 2 * 2
        if min(self.width, self.height) < MIN_SIDE:
            raise DatasetError(
                f"{where}: frames of {picture.width}x{picture.height} are too small for a video"
            )
        return self.width, self.height

    def _converted(self, picture: Any) -> Any:
        """To the video's size and yuv420p in limited ("MPEG") range, as the encoder flags it:
        JPEG pictures are full range, and left so their colours would come back too dark."""
        source = {"src_color_range": "JPEG"} if is_full_range(picture) else {}
        return picture.reformat(
            width=self.width, height=self.height, format=PIX_FMT, dst_color_range="MPEG", **source
        )

    def frames(self, frames: Iterable[Frame], where: str) -> Iterator[Any]:
        """Each stored frame as a video frame of the decoder's size, in yuv420p."""
        for frame in frames:
            if self._last is None or self._last[0] != frame.number:
                self._last = (frame.number, self._converted(self.decode(frame, where)))
            yield self._last[1]


def _sample(picture: Any) -> np.ndarray:
    """A frame's pixels as (pixels, 3) RGB in [0, 1], scaled down: what the statistics see."""
    scale = min(1.0, STATS_SIDE / max(picture.width, picture.height))
    width, height = max(1, round(picture.width * scale)), max(1, round(picture.height * scale))
    rgb = picture.reformat(width=width, height=height, format="rgb24").to_ndarray()
    return rgb.reshape(-1, 3).astype(np.float64) / 255.0


@dataclass
class VideoTrack:
    """The video files of one camera feature of a dataset."""

    root: Path
    key: str
    fps: int
    width: int
    height: int
    file_bytes: int = VIDEO_FILE_BYTES
    _file: tuple[int, int] = (0, 0)
    _frames_in_file: int = 0
    _container: Any = None
    _stream: Any = None

    def __post_init__(self) -> None:
        self._av = require_av()
        encoded = max(1, self.width * self.height * 3 // 2 // RAW_PER_ENCODED)
        self.frames_per_file = max(1, self.file_bytes // encoded)

    def add_episode(self, frames: Iterable[Any], length: int) -> tuple[dict[str, Any], np.ndarray]:
        """Encode an episode's `length` frames; its episode columns and the pixels sampled for stats."""
        if self._container is not None and self._frames_in_file >= self.frames_per_file:
            self._close()
            self._file = next_file(*self._file)
        if self._container is None:
            self._open()
        first = self._frames_in_file
        sampled = set(np.linspace(0, length - 1, min(length, STATS_FRAMES)).round().astype(int).tolist())
        pixels = []
        count = 0
        for k, picture in enumerate(frames):
            if k in sampled:
                pixels.append(_sample(picture))
            picture.pts, picture.time_base = self._frames_in_file, Fraction(1, self.fps)
            self._mux(self._stream.encode(picture))
            self._frames_in_file += 1
            count += 1
        if count != length:
            raise ValueError(f"{self.key}: {count} frames for an episode of {length}")
        columns = {
            f"videos/{self.key}/chunk_index": self._file[0],
            f"videos/{self.key}/file_index": self._file[1],
            f"videos/{self.key}/from_timestamp": first / self.fps,
            f"videos/{self.key}/to_timestamp": self._frames_in_file / self.fps,
        }
        return columns, np.concatenate(pixels)

    def _open(self) -> None:
        chunk, index = self._file
        path = self.root / VIDEO_PATH.format(video_key=self.key, chunk_index=chunk, file_index=index)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._container = self._av.open(str(path), "w", format="mp4")
        options = {"g": str(GOP), "crf": str(CRF), "preset": str(PRESET)}
        self._stream = self._container.add_stream(CODEC, rate=self.fps, options=options)
        self._stream.width, self._stream.height, self._stream.pix_fmt = self.width, self.height, PIX_FMT
        self._frames_in_file = 0

    def _mux(self, packets: list[Any]) -> None:
        for packet in packets:
            self._container.mux(packet)

    def _close(self) -> None:
        self._mux(self._stream.encode(None))
        self._container.close()
        self._container = self._stream = None

    def close(self) -> None:
        """Flush the encoder and close the open file."""
        if self._container is not None:
            self._close()

    def discard(self) -> None:
        """Close without flushing: the export failed and its folder is going away."""
        if self._container is not None:
            self._container.close()
            self._container = self._stream = None
