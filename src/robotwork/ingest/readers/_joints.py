"""Joint samples between decoding and Arrow: numpy rows, the recording's one layout, batching.

Decoders (CDR, JSON, LeRobot) produce `JointRows` of whole blocks; `JointTable` gathers them and
cuts Arrow record batches of `joint_schema(n)`. A recording has one joint layout, so the layout
is fixed by its first JointState and every later one is checked against it.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from robotwork.store.schema import TableBatch, joint_schema


@dataclass
class Vectors:
    """Optional per-row vectors (velocity, effort): `valid` is None when every row has one."""

    values: np.ndarray  # (N, n) float64; rows that are not valid hold zeros
    valid: np.ndarray | None = None  # (N,) bool


@dataclass
class JointRows:
    """Decoded JointStates of one block; velocity/effort None when no row carried any."""

    time_ns: np.ndarray  # (N,) int64
    position: np.ndarray  # (N, n) float64
    velocity: Vectors | None = None
    effort: Vectors | None = None


class JointLayout:
    """The joint layout of a recording: the names and count of its first JointState.

    `/joint_states` must repeat the names exactly; `/joint_commands` (which often carry no
    names) must have the same count. The checks return a reason, or None when the message fits.
    """

    def __init__(self) -> None:
        self.names: list[str] | None = None
        self.size: int | None = None

    def check_state(self, names: list[str], size: int) -> str | None:
        """Adopt the first state's layout; afterwards, refuse any other names or count."""
        if size == 0:
            return "JointState with no positions"
        if names and len(names) != size:
            return f"{len(names)} names but {size} positions"
        if self.names is None and (self.size is None or self.size == size):
            self.names, self.size = list(names), size
            return None
        if names != self.names or size != self.size:
            return (
                f"joint layout changed: {size} joints {names[:3]}... where the recording "
                f"has {self.size} joints {(self.names or [])[:3]}..."
            )
        return None

    def check_command(self, names: list[str], size: int) -> str | None:
        """A command must have the recording's joint count (the first joint message sets it)."""
        if size == 0:
            return "JointState command with no positions"
        if self.size is None:
            self.size = size
        if size != self.size:
            return f"{size} commanded joints where the recording has {self.size}"
        return None

    def joint_names(self) -> list[str]:
        """The names to report: the states' names, or joint_0.. when they carried none."""
        if self.names:
            return list(self.names)
        return [f"joint_{i}" for i in range(self.size or 0)]


class JointTable:
    """Accumulates `JointRows` for one table and cuts batches of at most `batch_rows` rows."""

    def __init__(self, table: str) -> None:
        self.table = table
        self._parts: list[JointRows] = []
        self._rows = 0

    def add(self, rows: JointRows) -> None:
        self._parts.append(rows)
        self._rows += len(rows.time_ns)

    def batches(self, batch_rows: int, *, final: bool = False) -> Iterator[TableBatch]:
        """Yield full batches; with `final`, also the remainder."""
        if self._rows < batch_rows and not (final and self._rows):
            return
        rows = _concat(self._parts)
        self._parts, self._rows = [], 0
        total = len(rows.time_ns)
        full = total - total % batch_rows
        for start in range(0, full, batch_rows):
            yield self._batch(rows, slice(start, start + batch_rows))
        if full < total:
            if final:
                yield self._batch(rows, slice(full, total))
            else:
                self.add(_slice(rows, slice(full, total)))

    def _batch(self, rows: JointRows, part: slice) -> TableBatch:
        n = rows.position.shape[1]
        columns = [
            pa.array(rows.time_ns[part], pa.int64()),
            _fixed_list(rows.position[part], n, None),
            _optional_list(rows.velocity, part, n, part.stop - part.start),
            _optional_list(rows.effort, part, n, part.stop - part.start),
        ]
        return TableBatch(self.table, pa.RecordBatch.from_arrays(columns, schema=joint_schema(n)))


def _fixed_list(values: np.ndarray, n: int, valid: np.ndarray | None) -> pa.Array:
    flat = pa.array(np.ascontiguousarray(values, dtype=np.float64).reshape(-1), pa.float64())
    mask = None if valid is None else pa.array(~valid)
    return pa.FixedSizeListArray.from_arrays(flat, n, mask=mask)


def _optional_list(vectors: Vectors | None, part: slice, n: int, count: int) -> pa.Array:
    if vectors is None:
        return pa.nulls(count, pa.list_(pa.float64(), n))
    valid = None if vectors.valid is None else vectors.valid[part]
    return _fixed_list(vectors.values[part], n, valid)


def _slice(rows: JointRows, part: slice) -> JointRows:
    def cut(v: Vectors | None) -> Vectors | None:
        if v is None:
            return None
        return Vectors(v.values[part], None if v.valid is None else v.valid[part])

    return JointRows(rows.time_ns[part], rows.position[part], cut(rows.velocity), cut(rows.effort))


def _concat(parts: list[JointRows]) -> JointRows:
    if len(parts) == 1:
        return parts[0]
    return JointRows(
        np.concatenate([p.time_ns for p in parts]),
        np.concatenate([p.position for p in parts]),
        _concat_vectors([p.velocity for p in parts], parts),
        _concat_vectors([p.effort for p in parts], parts),
    )


def _concat_vectors(vectors: list[Vectors | None], parts: list[JointRows]) -> Vectors | None:
    """Concatenate optional vectors, materializing null rows only when the parts differ."""
    if all(v is None for v in vectors):
        return None
    if all(v is not None and v.valid is None for v in vectors):
        return Vectors(np.concatenate([v.values for v in vectors]))  # type: ignore[union-attr]
    values, valid = [], []
    for v, p in zip(vectors, parts, strict=True):
        rows = len(p.time_ns)
        if v is None:
            values.append(np.zeros_like(p.position))
            valid.append(np.zeros(rows, bool))
        else:
            values.append(v.values)
            valid.append(np.ones(rows, bool) if v.valid is None else v.valid)
    mask = np.concatenate(valid)
    return Vectors(np.concatenate(values), None if mask.all() else mask)
