"""Per-day evidence: time, tasks and interventions cut at midnight in the program's time zone.

Time is accumulated in integer nanoseconds and turned into float seconds once, so a day's
figures do not depend on how its segments were cut. A moving minute is counted on the day its
first instant falls in (days start on whole minutes in every zone robotwork is used in).
"""

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from robotwork.evidence.model import (
    INCOMPLETE,
    OPERATING_MODES,
    DayEvidence,
    Episode,
    Intervention,
    Segment,
)
from robotwork.evidence.motion import MINUTE_NS, MovingTime

_TASK_FIELDS = {
    "success": "tasks_succeeded",
    "failure": "tasks_failed",
    "abort": "tasks_aborted",
    INCOMPLETE: "tasks_incomplete",
}
_SECOND_FIELDS = (*(f"{mode}_s" for mode in OPERATING_MODES), "idle_s", "fault_s", "claimed_operating_s")


class Calendar:
    """The local days from the recording's first instant to its last (both included)."""

    def __init__(self, first_ns: int, last_ns: int, zone: ZoneInfo) -> None:
        day = datetime.fromtimestamp(first_ns // 10**9, zone).date()
        last_day = datetime.fromtimestamp(last_ns // 10**9, zone).date()
        self.days: list[date] = []
        starts: list[int] = []
        while day <= last_day:
            self.days.append(day)
            starts.append(int(datetime.combine(day, time(), zone).timestamp()) * 10**9)
            day += timedelta(days=1)
        self.starts = np.array(starts, np.int64)

    def index(self, times_ns: np.ndarray) -> np.ndarray:
        """The day index of each time."""
        return np.searchsorted(self.starts, times_ns, side="right") - 1

    def pieces(self, start_ns: int, end_ns: int) -> list[tuple[int, int, int]]:
        """[start_ns, end_ns) cut at midnights, as (day index, start, end)."""
        first = int(self.index(np.array([start_ns]))[0])
        out = []
        for index in range(first, len(self.days)):
            lo = max(start_ns, int(self.starts[index]))
            hi = end_ns if index + 1 == len(self.days) else min(end_ns, int(self.starts[index + 1]))
            if lo >= end_ns:
                break
            out.append((index, lo, hi))
        return out


def days_of(
    calendar: Calendar,
    segments: list[Segment],
    moving: MovingTime,
    episodes: list[Episode],
    interventions: list[Intervention],
    operating_modes: tuple[str, ...],
) -> list[DayEvidence]:
    """One DayEvidence per day of the calendar."""
    counts = [Counter[str]() for _ in calendar.days]
    for segment in segments:
        for index, lo, hi in calendar.pieces(segment.start_ns, segment.end_ns):
            _add_time(counts[index], segment.mode, hi - lo, moving.within(lo, hi), operating_modes)
    for index in calendar.index(moving.minutes * MINUTE_NS):
        counts[index]["moving_minutes"] += 1
    for episode in episodes:
        counts[_day(calendar, episode.start_ns)]["tasks_started"] += 1
        counts[_day(calendar, episode.until_ns)][_TASK_FIELDS[episode.outcome]] += 1
    for intervention in interventions:
        counts[_day(calendar, intervention.time_ns)][intervention.kind] += 1
    return [_day_evidence(day, count) for day, count in zip(calendar.days, counts, strict=True)]


def _add_time(
    count: Counter[str], mode: str, total: int, moving: int, operating_modes: tuple[str, ...]
) -> None:
    """Book a piece of a segment: the moving part of an operating mode operates, the rest of it
    idles; a mode the policy does not count as operating is idle time, fault is fault time."""
    if mode in operating_modes:
        count[f"{mode}_s"] += moving
        count["idle_s"] += total - moving
        count["claimed_operating_s"] += total
    elif mode == "fault":
        count["fault_s"] += total
    else:
        count["idle_s"] += total


def _day(calendar: Calendar, t: int) -> int:
    return int(calendar.index(np.array([t]))[0])


def _day_evidence(day: date, count: Counter[str]) -> DayEvidence:
    """Counted nanoseconds become seconds; counts stay integers."""
    evidence = DayEvidence(day=day)
    for name, value in count.items():
        setattr(evidence, name, value / 1e9 if name in _SECOND_FIELDS else value)
    return evidence
