"""The few registry reads a progress report needs beyond `evidence.metrics`: the daily series,
and the flag list (the recording counts are `evidence.figures.recording_counts`, the national figure's).

Each read takes the set of robot serials the report is about (None: every robot, for the nation)
and applies the same rule as the metrics: only `recording_days` of recordings without an uncleared
flag count, so a day's sums add up to the window's figures of `robotwork metrics`.
"""

from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from robotwork.evidence.figures import unflagged_day_sums
from robotwork.evidence.rollup import MODES, RATE_KINDS, Window
from robotwork.read.progress_model import DayPoint, FlagInfo
from robotwork.registry.models import Flag, Recording, RecordingDay

Serials = Collection[str] | None  # None: every robot

FLAG_LIST_LIMIT = 200  # a national report lists at most this many flags and counts the rest


def _summed(names: tuple[str, ...]) -> ColumnElement[float]:
    column = getattr(RecordingDay, names[0])
    for name in names[1:]:
        column = column + getattr(RecordingDay, name)
    return func.sum(column)


def daily_series(session: Session, window: Window, serials: Serials) -> list[DayPoint]:
    """Every day of the window with the report's robots' operating hours, tasks and interventions."""
    sums: dict[date, tuple[Any, ...]] = {}
    if serials is None or serials:
        query = unflagged_day_sums(
            [
                _summed(tuple(f"{m}_s" for m in MODES)),
                _summed(("tasks_succeeded", "tasks_failed", "tasks_aborted")),
                func.sum(RecordingDay.tasks_succeeded),
                _summed(RATE_KINDS),
            ],
            serials=serials,
            start=window.start,
            end=window.end,
        )
        sums = {row[0]: tuple(row[1:]) for row in session.execute(query)}
    days = []
    day = window.start
    while day <= window.end:
        seconds, judged, succeeded, interventions = sums.get(day, (0, 0, 0, 0))
        days.append(
            DayPoint(
                day, (seconds or 0) / 3600, int(judged or 0), int(succeeded or 0), int(interventions or 0)
            )
        )
        day += timedelta(days=1)
    return days


def _for_robots(query: Select, serials: Serials) -> Select:
    return query if serials is None else query.where(Recording.robot_serial.in_(sorted(serials)))


def flags(session: Session, serials: Serials) -> tuple[list[FlagInfo], int]:
    """Flags on the robots' recordings, open ones first, and how many were left off the list."""
    if serials is not None and not serials:
        return [], 0
    query = _for_robots(
        select(Flag, Recording).join(Recording, Recording.recording_id == Flag.recording_id), serials
    ).order_by(Flag.cleared_at.is_not(None), Flag.flagged_at, Flag.id)
    rows = [
        FlagInfo(
            f.rule,
            r.robot_serial,
            f.recording_id,
            r.source_name,
            f.flagged_at,
            f.cleared_at is not None,
            f.evidence,
        )
        for f, r in session.execute(query)
    ]
    return rows[:FLAG_LIST_LIMIT], max(0, len(rows) - FLAG_LIST_LIMIT)
