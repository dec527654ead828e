"""The joint_states stream of one recording, reduced batch by batch to flat-size state.

Each batch updates the content digest, the open minute's joint spans and the fingerprint
winnower, then is dropped. A sample's moving flag is known only when its minute closes, so the
hashes (one uint64 per sample) of the open minute wait in `_pending` until then.
"""

import hashlib

import numpy as np
import pyarrow as pa

from robotwork.evidence.fingerprint import Winnower, sample_hashes
from robotwork.evidence.model import EvidenceError
from robotwork.evidence.motion import MINUTE_NS, MinuteMotion


class JointStream:
    """Digest, moving minutes and fingerprints of joint_states rows fed in time order."""

    def __init__(self, epsilon_rad: float) -> None:
        self.motion = MinuteMotion(epsilon_rad)
        self.winnower = Winnower()
        self.joints = 0
        self.samples = 0
        self.moving_samples = 0
        self._digest = hashlib.sha256()
        self._last_ns: int | None = None
        self._pending_hashes = np.empty(0, np.uint64)
        self._pending_minutes = np.empty(0, np.int64)

    def add(self, batch: pa.RecordBatch) -> None:
        """Take the next joint_states batch (rows continue the previous batch in time)."""
        times = batch.column("time_ns").to_numpy()
        positions = self._positions(batch.column("position"), batch.num_rows)
        self._check_order(times)
        self._digest.update(np.ascontiguousarray(positions).data)
        self.samples += times.size
        minutes = times // MINUTE_NS
        closed = self.motion.add(minutes, positions)
        hashes = np.concatenate((self._pending_hashes, sample_hashes(positions)))
        minutes = np.concatenate((self._pending_minutes, minutes))
        cut = int(np.searchsorted(minutes, minutes[-1], side="left"))
        self._release(hashes[:cut], minutes[:cut], closed)
        self._pending_hashes, self._pending_minutes = hashes[cut:], minutes[cut:]

    def finish(self) -> None:
        """Close the last minute and fingerprint the samples still waiting for it."""
        self._release(self._pending_hashes, self._pending_minutes, self.motion.finish())
        self._pending_hashes = np.empty(0, np.uint64)
        self._pending_minutes = np.empty(0, np.int64)

    def content_digest(self) -> str | None:
        """SHA-256 of the position values (float64, in row order); None with no rows."""
        return self._digest.hexdigest() if self.samples else None

    def _release(
        self, hashes: np.ndarray, minutes: np.ndarray, closed: tuple[np.ndarray, np.ndarray]
    ) -> None:
        """Fingerprint samples whose minutes are closed, with their minutes' moving flags."""
        if hashes.size == 0:
            return
        ids, moving = closed
        flags = moving[np.searchsorted(ids, minutes)]
        self.moving_samples += int(flags.sum())
        self.winnower.add(hashes, flags)

    def _positions(self, column: pa.Array, rows: int) -> np.ndarray:
        """The (rows, joints) float64 matrix of a position column (fixed-size or plain lists,
        as a store written by another pyarrow version may hand back)."""
        if pa.types.is_fixed_size_list(column.type):
            joints = column.type.list_size
        else:
            lengths = np.diff(column.offsets.to_numpy())
            joints = int(lengths[0]) if rows else 0
            if np.any(lengths != joints):
                raise EvidenceError("joint_states rows have positions of different lengths")
        if self.samples and joints != self.joints:
            raise EvidenceError(f"joint_states change from {self.joints} to {joints} joints")
        self.joints = joints
        values = column.flatten().to_numpy(zero_copy_only=False)
        return values.astype(np.float64, copy=False).reshape(rows, joints)

    def _check_order(self, times: np.ndarray) -> None:
        """Refuse rows that go back in time: minutes are closed as time moves on."""
        previous = self._last_ns if self._last_ns is not None else times[0]
        steps = np.diff(times, prepend=previous)
        if np.any(steps < 0):
            at = int(np.argmax(steps < 0))
            raise EvidenceError(
                f"joint_states go back in time at {int(times[at])} ns "
                "(evidence needs each table's rows in time order)"
            )
        self._last_ns = int(times[-1])
