"""Resampling a recording's own clock to the dataset's fixed fps, in integer nanoseconds.

Frame k of an episode starting at `start_ns` is at ``start_ns + (k * 10**9) // fps``: computed
from k each time, so no float error accumulates over a long episode. Frames run while that time
is at or before the episode's end, so an episode has ``(end - start) * fps // 10**9 + 1`` frames:
an episode shorter than one frame period still gives one frame (its start).

The value of a signal at a frame is its last sample at or before the frame time (zero-order
hold): what the robot last knew, never a sample from the future. Clock jitter therefore only
decides which sample is the latest; a gap in the data holds the last value through the gap. A
frame before a signal's first sample takes that first sample (the only edge where a later
sample is used, so an episode starting a few ns before its first joint state is not lost).
"""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from robotwork.store.schema import CONTROL_MODES

NS = 1_000_000_000
MODE_NAMES = ("unknown", *CONTROL_MODES)  # code = index; `unknown` before the first mode message


def frame_count(start_ns: int, end_ns: int, fps: int) -> int:
    """How many frames an episode from `start_ns` to `end_ns` gets (at least one)."""
    return (end_ns - start_ns) * fps // NS + 1


def frame_times(start_ns: int, end_ns: int, fps: int) -> np.ndarray:
    """The integer-ns times of an episode's frames, and the end of the last frame's period."""
    count = frame_count(start_ns, end_ns, fps)
    return start_ns + (np.arange(count + 1, dtype=np.int64) * NS) // fps


@dataclass
class Signal:
    """A time-sorted series: `times` int64 (n,), `values` (n, ...) of any dtype."""

    times: np.ndarray
    values: np.ndarray

    def hold(self, at: np.ndarray) -> np.ndarray:
        """Zero-order hold at `at` (the first sample before the first time)."""
        idx = np.searchsorted(self.times, at, side="right") - 1
        np.maximum(idx, 0, out=idx)
        return self.values[idx]

    @classmethod
    def from_table(cls, table: pa.Table, column: str) -> "Signal":
        """Sort by time (stable, so equal times keep file order and the last one wins)."""
        times = table.column("time_ns").to_numpy()
        col = table.column(column).combine_chunks()
        if pa.types.is_fixed_size_list(col.type):
            values = col.flatten().to_numpy(zero_copy_only=False).reshape(len(col), col.type.list_size)
        else:
            values = np.asarray(col.to_pylist(), dtype=object)
        if len(times) > 1 and np.any(times[1:] < times[:-1]):
            order = np.argsort(times, kind="stable")
            times, values = times[order], values[order]
        return cls(times, values)


@dataclass
class RecordingSignals:
    """The signals of one recording the exporter samples from."""

    state: Signal
    action: Signal
    mode_times: np.ndarray
    mode_codes: np.ndarray
    event_times: np.ndarray  # every intervention, sorted

    def frames(self, start_ns: int, end_ns: int, fps: int) -> dict[str, np.ndarray]:
        """The resampled columns of one episode (without the index columns), and its frame times."""
        edges = frame_times(start_ns, end_ns, fps)
        at = edges[:-1]
        state = self.state.hold(at).astype(np.float32)
        action = self.action.hold(at).astype(np.float32)
        idx = np.searchsorted(self.mode_times, at, side="right") - 1
        mode = np.where(idx >= 0, self.mode_codes[np.maximum(idx, 0)], 0).astype(np.int64)
        # An intervention marks the frame whose period [t_k, t_k+1) contains it.
        marks = np.searchsorted(self.event_times, edges, side="left")
        intervention = marks[1:] > marks[:-1]
        return {"time_ns": at, "state": state, "action": action, "mode": mode, "intervention": intervention}


def mode_codes(modes: np.ndarray) -> np.ndarray:
    """Codes of control-mode names (index in `MODE_NAMES`)."""
    lookup = {name: code for code, name in enumerate(MODE_NAMES)}
    return np.array([lookup.get(str(m), 0) for m in modes], dtype=np.int64)
