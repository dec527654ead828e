"""Which cameras a dataset gets, and each episode's frames of them at the dataset's fps.

A LeRobot dataset has the same features in every episode, so a dataset gets the cameras that every
selected recording has; cameras only some recordings have are left out and named in the manifest.
A camera's video size is that of its first frame in the first recording (rounded down to even);
frames of another size are scaled to it. Frames are resampled like joint data: frame k shows the
camera's last frame at or before the frame's time (the first frame before the camera's first).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from robotwork.datasets.cameras import CameraFrames, camera_index, camera_names, read_frames
from robotwork.datasets.resample import Signal
from robotwork.registry.models import Recording
from robotwork.store.telemetry import TelemetryStore

IMAGES_PREFIX = "observation.images."


@dataclass
class CameraFeeds:
    """The cameras of one dataset: their video sizes and decoders."""

    store: TelemetryStore
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    decoders: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def choose(cls, store: TelemetryStore, recs: dict[str, Recording], *, videos: bool) -> "CameraFeeds":
        """The cameras every recording has (none when `videos` is off); PyAV is needed only then."""
        if not videos:
            return cls(store)
        named = {rid: camera_names(store, recs[rid].files) for rid in sorted(recs)}
        common = set.intersection(*named.values()) if named else set()
        feeds = cls(store, left_out=sorted(set().union(*named.values()) - common))
        if not common:
            return feeds
        from robotwork.datasets.video import FrameDecoder  # PyAV is an optional extra

        first = next(iter(named))
        index = camera_index(store, recs[first].files)
        for camera in sorted(common):
            decoder = FrameDecoder()
            [frame] = read_frames(store, index[camera], np.zeros(1, dtype=np.int64))
            feeds.sizes[camera] = decoder.fit(frame, f"recording {first}: camera {camera}")
            feeds.decoders[camera] = decoder
        return feeds

    def features(self, fps: int) -> dict[str, dict[str, Any]]:
        """`observation.images.<camera>` features, by camera name."""
        if not self.sizes:
            return {}
        from robotwork.datasets.video import video_feature

        return {IMAGES_PREFIX + c: video_feature(w, h, fps) for c, (w, h) in sorted(self.sizes.items())}

    def index(self, files: list[str]) -> dict[str, CameraFrames]:
        """Where a recording's frames of the dataset's cameras are (nothing read without cameras)."""
        if not self.sizes:
            return {}
        return {c: f for c, f in camera_index(self.store, files).items() if c in self.sizes}

    def episode(
        self, recording_id: str, index: dict[str, CameraFrames], at: np.ndarray
    ) -> dict[str, Iterator[Any]]:
        """Per camera feature, the video frames of an episode whose frame times are `at`."""
        feeds = {}
        for camera, frames in index.items():
            numbers = Signal(frames.times, np.arange(len(frames.times))).hold(at)
            where = f"recording {recording_id}: camera {camera}"
            stored = read_frames(self.store, frames, numbers)
            feeds[IMAGES_PREFIX + camera] = self.decoders[camera].frames(stored, where)
        return feeds
