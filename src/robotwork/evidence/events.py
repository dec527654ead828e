"""Control-mode segments, task episodes and interventions from the small event tables.

The three event tables are buffered whole (a few rows a minute) and sorted by time (stable,
so rows at the same instant keep their order); nothing here touches joint data.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from robotwork.evidence.model import INCOMPLETE, Episode, EvidenceError, Intervention, Segment
from robotwork.store.schema import (
    CONTROL_MODE,
    CONTROL_MODES,
    EVENT_SCHEMAS,
    INTERVENTION_KINDS,
    INTERVENTIONS,
    TASK_EVENTS,
    TASKS,
)

_ALLOWED = {
    CONTROL_MODE: ("mode", CONTROL_MODES),
    TASKS: ("event", TASK_EVENTS),
    INTERVENTIONS: ("kind", INTERVENTION_KINDS),
}


@dataclass
class EventRows:
    """The rows of the event tables of one recording, as tuples in EVENT_SCHEMAS column order."""

    rows: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {table: [] for table in EVENT_SCHEMAS}
    )

    def add(self, table: str, batch: pa.RecordBatch) -> None:
        """Buffer a batch of an event table, checking its enum column (store rows are not
        re-validated elsewhere, and an unknown mode would silently count nowhere)."""
        names = EVENT_SCHEMAS[table].names
        columns = [batch.column(name).to_pylist() for name in names]
        column, allowed = _ALLOWED[table]
        for row in zip(*columns, strict=True):
            value = row[names.index(column)]
            if value not in allowed:
                raise EvidenceError(f"{table} row at {row[0]} ns: unknown {column} {value!r}")
            self.rows[table].append(row)

    def by_time(self, table: str) -> list[tuple[Any, ...]]:
        """The table's rows by time."""
        return sorted(self.rows[table], key=lambda row: row[0])


class Timeline:
    """The control-mode segments of a recording, searchable by time."""

    def __init__(self, mode_rows: list[tuple[Any, ...]], end_ns: int) -> None:
        times = [row[0] for row in mode_rows]
        ends = times[1:] + [end_ns] if times else []
        self.segments = [Segment(t, e, row[1]) for t, e, row in zip(times, ends, mode_rows, strict=True)]
        self._starts = times

    def mode_at(self, t: int) -> str | None:
        """The mode in force at `t` (a message at `t` already holds); None before the first."""
        index = bisect_right(self._starts, t) - 1
        return self.segments[index].mode if index >= 0 else None

    def mode_seconds(self, start_ns: int, end_ns: int) -> dict[str, float]:
        """Seconds of [start_ns, end_ns) in each mode; time before the first segment is in none."""
        out: dict[str, float] = {}
        index = max(bisect_right(self._starts, start_ns) - 1, 0)
        for segment in self.segments[index:]:
            if segment.start_ns >= end_ns:
                break
            overlap = min(segment.end_ns, end_ns) - max(segment.start_ns, start_ns)
            if overlap > 0:
                out[segment.mode] = out.get(segment.mode, 0.0) + overlap / 1e9
        return out


def episodes_of(
    task_rows: list[tuple[Any, ...]], timeline: Timeline, end_ns: int
) -> tuple[list[Episode], int]:
    """Episodes from time-sorted task rows, and how many terminal events were ignored.

    A start runs to the next terminal event whatever its task text (the spec pairs events per
    robot) and takes the start's task text (the terminal's when the start has none); a second
    start before a terminal makes the first `incomplete`, cut at the second
    start; a terminal with no open start cannot be attributed to an episode and is ignored.
    """
    episodes: list[Episode] = []
    ignored = 0
    open_start: tuple[int, str | None] | None = None
    for time_ns, event, text in task_rows:
        if event == "start":
            if open_start is not None:
                episodes.append(_episode(open_start, None, time_ns, INCOMPLETE, timeline))
            open_start = (time_ns, text)
        elif open_start is None:
            ignored += 1
        else:
            named = (open_start[0], open_start[1] if open_start[1] is not None else text)
            episodes.append(_episode(named, time_ns, time_ns, event, timeline))
            open_start = None
    if open_start is not None:
        episodes.append(_episode(open_start, None, max(end_ns, open_start[0]), INCOMPLETE, timeline))
    return episodes, ignored


def _episode(
    start: tuple[int, str | None], end_ns: int | None, until_ns: int, outcome: str, timeline: Timeline
) -> Episode:
    start_ns, text = start
    return Episode(start_ns, end_ns, until_ns, text, outcome, timeline.mode_seconds(start_ns, until_ns))


def interventions_of(rows: list[tuple[Any, ...]], timeline: Timeline) -> list[Intervention]:
    """Interventions from time-sorted rows, each with the mode in force at its time."""
    return [Intervention(t, kind, by, reason, timeline.mode_at(t)) for t, kind, by, reason in rows]
