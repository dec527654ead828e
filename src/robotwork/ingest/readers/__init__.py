"""Readers: a recording on disk, streamed as the Arrow batches of `robotwork.store.schema`.

`open_recording` picks the reader from what the path is: an MCAP file (JSON or ROS 2 CDR
messages, detected per channel), a rosbag2 folder (`metadata.yaml` + .mcap files) or a LeRobot
v3.0 dataset folder (`meta/info.json`). Errors are `IngestError`s whose message starts with the
file path and names the byte offset or the message index; a message index counts every message
of the named .mcap file in file order, starting at 0.

The readers check what the format promises (enum values, one joint layout per recording, CRCs,
truncation); whether the robot may send it (identity, time bounds) is checked by the caller.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from robotwork.errors import IngestError
from robotwork.ingest.readers.lerobot import INFO_PATH, open_lerobot
from robotwork.ingest.readers.mcap_recording import McapRecording
from robotwork.ingest.readers.rosbag2 import open_rosbag2
from robotwork.store.schema import RecordingInfo, TableBatch

__all__ = ["Recording", "open_recording"]


class Recording(Protocol):
    """An opened recording.

    `identity` (robot_serial, scenario_id, site_id, software_version as found in the files) is
    known right after opening; `info` is complete once `batches()` is exhausted.
    """

    identity: dict[str, str]
    info: RecordingInfo

    def batches(self, batch_rows: int = 65536) -> Iterator[TableBatch]:
        """Stream every table in batches of at most `batch_rows` rows, memory flat in size."""
        ...


def open_recording(path: Path, *, start_ns: int | None = None) -> Recording:
    """Open `path` with the reader its shape calls for.

    `start_ns` (UTC ns) is where a LeRobot dataset, which has no wall-clock time, starts;
    it is required for LeRobot and ignored for MCAP, whose messages carry their log_time.
    """
    path = Path(path)
    if path.is_file():
        return McapRecording([path])
    if path.is_dir():
        if (path / INFO_PATH).is_file():
            return open_lerobot(path, start_ns=start_ns)
        return open_rosbag2(path)
    raise IngestError(f"{path}: no such file or folder")
