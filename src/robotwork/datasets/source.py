"""Reading stored recordings into the signals the exporter samples, an episode's window at a time.

The export holds a window of one recording in memory, never the whole recording nor the
selection: memory stays flat however long the recordings and however large the selection.
"""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from robotwork.datasets.resample import RecordingSignals, Signal, mode_codes
from robotwork.store.read import open_part, read_recording
from robotwork.store.schema import (
    CONTROL_MODE,
    INTERVENTIONS,
    JOINT_COMMANDS,
    JOINT_STATES,
)
from robotwork.store.telemetry import TelemetryStore

EVENT_TABLES = (CONTROL_MODE, INTERVENTIONS)
_POSITIONS = ["time_ns", "position"]  # what a dataset takes of the joint tables, but velocities if asked


def _events(tables: dict[str, pa.Table], name: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    table = tables.get(name)
    if table is None or table.num_rows == 0:
        return np.zeros(0, np.int64), np.zeros(0, object)
    signal = Signal.from_table(table, column)
    return signal.times, signal.values


@dataclass(frozen=True)
class _Group:
    """One row group of a joint file: where it is and the span of its times."""

    rel: str
    number: int
    first_ns: int
    last_ns: int


@dataclass(frozen=True)
class _Rows:
    """A row group's times and values in file order; `ordered` when its times never go back, as
    recorders write them (then windows are cut by binary search, as slices)."""

    times: np.ndarray
    values: np.ndarray
    ordered: bool

    @classmethod
    def of(cls, times: np.ndarray, values: np.ndarray) -> "_Rows":
        return cls(times, values, len(times) < 2 or bool(np.all(times[1:] >= times[:-1])))

    def last_before(self, start_ns: int) -> int | None:
        """The latest time before `start_ns` (None: there is none)."""
        if self.ordered:
            k = int(np.searchsorted(self.times, start_ns, side="left"))
            return int(self.times[k - 1]) if k else None
        earlier = self.times[self.times < start_ns]
        return int(earlier.max()) if len(earlier) else None

    def between(self, low: int | None, end_ns: int) -> tuple[np.ndarray, np.ndarray]:
        """The rows from `low` (None: from the first) to `end_ns`, in file order."""
        if self.ordered:
            a = 0 if low is None else int(np.searchsorted(self.times, low, side="left"))
            b = int(np.searchsorted(self.times, end_ns, side="right"))
            return self.times[a:b], self.values[a:b]
        keep = (self.times <= end_ns) if low is None else (self.times >= low) & (self.times <= end_ns)
        return self.times[keep], self.values[keep]


class RecordingSource:
    """One stored recording, read an episode's time window at a time.

    Only the row groups of the joint tables that hold samples of the window are read, and the one
    holding the last sample before it (the zero-order hold's starting value), so memory follows
    the episode, not the recording (a shift at 100 Hz can be hundreds of MB). Row groups shared
    by neighbouring episodes are kept until the windows have moved past them. Events (control
    modes, interventions) are few and read whole. The signals of a window equal those of the
    whole recording at every frame of that window.
    """

    def __init__(self, store: TelemetryStore, files: list[str], *, velocities: bool = False) -> None:
        self._store = store
        self._velocities = velocities
        events = read_recording(store, files, EVENT_TABLES)
        self._mode_times, modes = _events(events, CONTROL_MODE, "mode")
        self._mode_codes = mode_codes(modes)
        self._event_times, _kinds = _events(events, INTERVENTIONS, "kind")
        self._groups = {table: self._index(files, table) for table in (JOINT_STATES, JOINT_COMMANDS)}
        if not self._groups[JOINT_STATES]:
            raise ValueError("it has no joint states")
        self._held: dict[str, dict[tuple[str, int], _Rows]] = {
            JOINT_STATES: {},
            JOINT_COMMANDS: {},
        }
        self._joints = 0

    def _index(self, files: list[str], table: str) -> list[_Group]:
        groups = []
        for rel in sorted(f for f in files if f.split("/", 1)[0] == table):
            with open_part(self._store, rel) as parquet:
                meta = parquet.metadata
            column = meta.schema.to_arrow_schema().get_field_index("time_ns")
            for number in range(meta.num_row_groups):
                stats = meta.row_group(number).column(column).statistics
                if meta.row_group(number).num_rows and stats is not None and stats.has_min_max:
                    groups.append(_Group(rel, number, int(stats.min), int(stats.max)))
                elif meta.row_group(number).num_rows:  # no statistics: always read
                    groups.append(_Group(rel, number, -(2**63), 2**63 - 1))
        return groups

    def window(self, start_ns: int, end_ns: int) -> RecordingSignals:
        """The signals from the last sample before `start_ns` to `end_ns`."""
        states = self._signal(JOINT_STATES, start_ns, end_ns)
        if self._groups[JOINT_COMMANDS]:
            action = self._signal(JOINT_COMMANDS, start_ns, end_ns)
        else:  # no commands: the measured positions stand for them
            action = Signal(states.times, states.values[:, : self._joints])
        return RecordingSignals(
            state=states,
            action=action,
            mode_times=self._mode_times,
            mode_codes=self._mode_codes,
            event_times=self._event_times,
        )

    def _signal(self, table: str, start_ns: int, end_ns: int) -> Signal:
        """The rows of the window's row groups from the last sample before `start_ns` to `end_ns`,
        in file order, then time-sorted as `Signal.from_table` sorts the whole recording."""
        groups = _needed(self._groups[table], start_ns, end_ns)
        held = self._held[table]
        self._held[table] = {
            (g.rel, g.number): held.get((g.rel, g.number)) or self._load(table, g) for g in groups
        }  # windows move forward: what this one does not need, no later one does
        parts = list(self._held[table].values())
        earlier = [t for t in (rows.last_before(start_ns) for rows in parts) if t is not None]
        hold = max(earlier, default=None)
        picked = [rows.between(hold, end_ns) for rows in parts]
        if not any(len(t) for t, _ in picked):  # the window is before every sample: the first one
            first = min(int(rows.times.min()) for rows in parts)
            picked = [(rows.times[rows.times == first], rows.values[rows.times == first]) for rows in parts]
        times = np.concatenate([t for t, _ in picked])
        values = np.concatenate([v for _, v in picked])
        if len(times) > 1 and np.any(times[1:] < times[:-1]):
            order = np.argsort(times, kind="stable")
            times, values = times[order], values[order]
        return Signal(times, values)

    def _load(self, table: str, group: _Group) -> _Rows:
        """A row group's times and values (positions, then velocities for states when asked)."""
        wanted = table == JOINT_STATES and self._velocities
        columns = [*_POSITIONS, "velocity"] if wanted else _POSITIONS
        with open_part(self._store, group.rel) as parquet:
            rows = parquet.read_row_group(group.number, columns=columns, use_threads=False)
        times, positions = rows.column("time_ns").to_numpy(), _vectors(rows, "position")
        self._joints = positions.shape[1]
        if not wanted:
            return _Rows.of(times, positions)
        missing = rows.column("velocity").null_count
        if missing:
            raise ValueError(
                f"{missing:,} of its joint states carry no velocities (asked for with --velocities)"
            )
        return _Rows.of(times, np.hstack([positions, _vectors(rows, "velocity")]))


def _vectors(rows: pa.Table, column: str) -> np.ndarray:
    """A fixed-size list column as an (n, size) array, in row order."""
    array = rows.column(column).combine_chunks()
    return array.flatten().to_numpy(zero_copy_only=False).reshape(len(array), array.type.list_size)


def _needed(groups: list[_Group], start_ns: int, end_ns: int) -> list[_Group]:
    """The row groups holding samples in [start, end], those holding the last sample before
    start, or (a window before every sample) the ones holding the first sample; in file order."""
    inside = [g for g in groups if g.first_ns <= end_ns and g.last_ns >= start_ns]
    before = [g for g in groups if g.last_ns < start_ns]
    edge: list[_Group] = []
    if before:
        last = max(g.last_ns for g in before)
        edge = [g for g in before if g.last_ns == last]
    elif not inside:
        first = min(g.first_ns for g in groups)
        edge = [g for g in groups if g.first_ns == first]
    order = {(g.rel, g.number): i for i, g in enumerate(groups)}
    return sorted({*inside, *edge}, key=lambda g: order[(g.rel, g.number)])


def load_events(store: TelemetryStore, files: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Only the small event tables (control modes, interventions): enough to plan segments."""
    tables = read_recording(store, files, EVENT_TABLES)
    return {
        CONTROL_MODE: _events(tables, CONTROL_MODE, "mode"),
        INTERVENTIONS: _events(tables, INTERVENTIONS, "kind"),
    }
