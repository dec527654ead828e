"""The evidence of one recording: a single streaming pass from raw rows to derived facts.

`summarize` accepts the batches of every table of one recording in any interleaving (straight
from a reader, or the store's `scan_recording` table after table); each table's own rows must come in time
order. Event tables are buffered (they are small); joint_states is reduced batch by batch, so
memory stays flat in the recording's length; joint_commands and other tables only extend the
recording's time span.
"""

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from robotwork.evidence.days import Calendar, days_of
from robotwork.evidence.events import EventRows, Timeline, episodes_of, interventions_of
from robotwork.evidence.joints import JointStream
from robotwork.evidence.model import OPERATING_MODES, EvidenceError, RecordingEvidence
from robotwork.evidence.motion import MovingTime
from robotwork.policy.model import Policy
from robotwork.store.schema import (
    CONTROL_MODE,
    EVENT_SCHEMAS,
    INTERVENTIONS,
    JOINT_STATES,
    TASKS,
    TableBatch,
)


class _Span:
    """The first and last row time seen over all tables."""

    def __init__(self) -> None:
        self.first: int | None = None
        self.last: int | None = None

    def add(self, times: pa.Array) -> None:
        bounds = pc.min_max(times)
        low, high = bounds["min"].as_py(), bounds["max"].as_py()
        self.first = low if self.first is None else min(self.first, low)
        self.last = high if self.last is None else max(self.last, high)


def summarize(
    batches: Iterable[TableBatch], policy: Policy, *, end_ns: int | None = None
) -> RecordingEvidence:
    """Derive a recording's evidence from its rows.

    `end_ns` is the recording's last message time as the registry knows it (camera frames and
    other topics count too); None takes the last row time seen. Segments run to it and open
    episodes are cut at it, so it may not be earlier than any row.
    """
    operating_modes = _operating_modes(policy)
    joints = JointStream(policy.motion_epsilon_rad)
    events = EventRows()
    span = _Span()
    for table_batch in batches:
        batch = table_batch.batch
        if batch.num_rows == 0:
            continue
        span.add(batch.column("time_ns"))
        if table_batch.table == JOINT_STATES:
            joints.add(batch)
        elif table_batch.table in EVENT_SCHEMAS:
            events.add(table_batch.table, batch)
    joints.finish()
    end = _end(span, end_ns)
    moving = MovingTime(joints.motion.moving_minutes())
    timeline = Timeline(events.by_time(CONTROL_MODE), end)
    episodes, ignored = episodes_of(events.by_time(TASKS), timeline, end)
    interventions = interventions_of(events.by_time(INTERVENTIONS), timeline)
    days = []
    if span.first is not None:
        calendar = Calendar(span.first, end, policy.zone)
        days = days_of(calendar, timeline.segments, moving, episodes, interventions, operating_modes)
    return RecordingEvidence(
        start_ns=span.first,
        end_ns=end if span.first is not None else end_ns,
        days=days,
        segments=timeline.segments,
        episodes=episodes,
        interventions=interventions,
        ignored_terminals=ignored,
        joints=joints.joints,
        samples=joints.samples,
        moving_samples=joints.moving_samples,
        moving_minutes=moving.minutes,
        content_digest=joints.content_digest(),
        fingerprints=joints.winnower.fingerprints(),
    )


def _end(span: _Span, end_ns: int | None) -> int:
    """The recording's end: `end_ns`, which must not precede a row, or the last row time
    (0 for a recording without rows, which then has no segments, episodes or days)."""
    if end_ns is None:
        return span.last if span.last is not None else 0
    if span.last is not None and end_ns < span.last:
        raise EvidenceError(f"recording end {end_ns} ns precedes a row at {span.last} ns")
    return end_ns


def _operating_modes(policy: Policy) -> tuple[str, ...]:
    """The policy's operating modes; each needs a field of DayEvidence to be booked in."""
    modes = tuple(policy.routine_operation["operating_modes"])
    unknown = [mode for mode in modes if mode not in OPERATING_MODES]
    if unknown:
        raise EvidenceError(
            f"{policy.source}: operating mode(s) {unknown} cannot be counted as "
            f"operating time (only {', '.join(OPERATING_MODES)})"
        )
    return modes
