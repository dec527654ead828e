"""Moving minutes: a UTC minute is moving when some joint spans more than epsilon within it.

Only the open minute's per-joint min and max are carried from batch to batch, so memory stays
flat however long the recording; each batch is reduced per minute with numpy `reduceat`.
NaN positions are ignored (fmin/fmax); a minute whose joints are all NaN is not moving.
"""

import numpy as np

MINUTE_NS = 60_000_000_000

_NO_MINUTES = (np.empty(0, np.int64), np.empty(0, bool))


class MinuteMotion:
    """Per-minute joint spans of one recording's joint_states, fed batch by batch in time order."""

    def __init__(self, epsilon_rad: float) -> None:
        self.epsilon = epsilon_rad
        self._open: tuple[int, np.ndarray, np.ndarray] | None = None  # (minute, min, max)
        self._moving: list[np.ndarray] = []

    def add(self, minutes: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Reduce a batch (minute index per row, non-decreasing) and return (minute ids, moving
        flags) of the minutes this batch closed: all but its last, which stays open."""
        if minutes.size == 0:
            return _NO_MINUTES
        starts = np.flatnonzero(np.diff(minutes)) + 1
        starts = np.concatenate(([0], starts))
        ids = minutes[starts]
        lows = np.fmin.reduceat(positions, starts, axis=0)
        highs = np.fmax.reduceat(positions, starts, axis=0)
        if self._open is not None:
            minute, low, high = self._open
            if minute == ids[0]:
                lows[0] = np.fmin(lows[0], low)
                highs[0] = np.fmax(highs[0], high)
            else:
                ids = np.concatenate(([minute], ids))
                lows = np.vstack((low, lows))
                highs = np.vstack((high, highs))
        self._open = (int(ids[-1]), lows[-1], highs[-1])
        return self._close(ids[:-1], lows[:-1], highs[:-1])

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        """Close the last open minute; returns it as `add` returns closed minutes."""
        if self._open is None:
            return _NO_MINUTES
        minute, low, high = self._open
        self._open = None
        return self._close(np.array([minute], np.int64), low[None, :], high[None, :])

    def moving_minutes(self) -> np.ndarray:
        """Sorted minute indices found moving so far."""
        if not self._moving:
            return np.empty(0, np.int64)
        return np.concatenate(self._moving)

    def _close(self, ids: np.ndarray, lows: np.ndarray, highs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        moving = (highs - lows > self.epsilon).any(axis=1)
        self._moving.append(ids[moving])
        return ids, moving


class MovingTime:
    """How much of any time interval falls in moving minutes, in O(log n) per question."""

    def __init__(self, moving_minutes: np.ndarray) -> None:
        self.minutes = moving_minutes  # sorted, unique

    def within(self, start_ns: int, end_ns: int) -> int:
        """Nanoseconds of [start_ns, end_ns) inside moving minutes."""
        if end_ns <= start_ns:
            return 0
        return self._before(end_ns) - self._before(start_ns)

    def _before(self, t: int) -> int:
        """Moving nanoseconds before `t`: whole moving minutes, plus the part of t's own."""
        minute = t // MINUTE_NS
        whole = int(np.searchsorted(self.minutes, minute, side="left"))
        partial = 0
        if whole < self.minutes.size and self.minutes[whole] == minute:
            partial = t - minute * MINUTE_NS
        return whole * MINUTE_NS + partial
