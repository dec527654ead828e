"""The live fleet as the API answers it: the exact JSON contract of docs/live.md, typed.

The field order is the contract's (its keys first in each robot, additions after), so the
response models serialize the very documents `robotwork.live.view` builds. Robots are read as
robot pages are (the rule set's `robots` read): those in the reader's scope.
"""

from typing import Any

from sqlalchemy import Engine

from robotwork.access import ReadScope
from robotwork.errors import UnknownRecord
from robotwork.live.evidence import robot_history
from robotwork.live.view import live_view, robot_live
from robotwork.read.models import ReadModel
from robotwork.store.files import StoreFiles


class LiveError(ReadModel):
    """An error a robot reports in its `state` message."""

    code: str | None = None
    level: str | None = None
    text: str | None = None


class LiveAlert(ReadModel):
    """An alert: a robot in routine operation offline or in fault during its usual hours."""

    id: int
    robot_serial: str
    kind: str
    since: str | None
    raised: str | None
    cleared: str | None
    details: dict[str, Any]


class LiveRobot(ReadModel):
    """A robot's live status (the contract's keys first)."""

    robot_serial: str
    connection: str | None
    control_mode: str | None
    task: str | None
    site_id: str | None
    battery: float | None
    last_seen: str | None
    stale: bool
    status: str
    status_since: str | None
    errors: list[LiveError]
    scenario_id: str | None
    province: str | None


class LiveCounts(ReadModel):
    """The listed robots counted by status, and by status per province and per scenario."""

    total: int
    by_status: dict[str, int]
    by_province: dict[str, dict[str, int]]
    by_scenario: dict[str, dict[str, int]]


class LiveFilters(ReadModel):
    """The filters the answer was made with."""

    province: str | None
    scenario: str | None
    state: str | None


class LiveView(ReadModel):
    """`GET /api/v1/live`: robots, their counts, open alerts and the filters."""

    robots: list[LiveRobot]
    counts: LiveCounts
    alerts: list[LiveAlert]
    filters: LiveFilters


class LiveChange(ReadModel):
    """One change of a robot's live status, from the time series."""

    time_ns: int
    robot_serial: str
    connection: str | None
    control_mode: str | None
    status: str
    stale: bool
    task: str | None
    site_id: str | None
    time: str | None


class LiveHistory(ReadModel):
    """Hours online and working over the last `days` days, and the changes of the last 24 h."""

    days: int
    hours_online: float
    hours_working: float
    changes: list[LiveChange]


class LiveRobotDetail(LiveRobot):
    """`GET /api/v1/live/{serial}`: one robot's live status, open alerts and history."""

    alerts: list[LiveAlert]
    history: LiveHistory


def live(
    engine: Engine, scope: ReadScope, *, province: str | None, scenario: str | None, state: str | None
) -> LiveView:
    """The robots in the scope heard from, filtered, with their counts and open alerts."""
    found = live_view(engine, province=province, scenario=scenario, state=state, robots=scope.robots)
    return LiveView.model_validate(found)


def live_robot(engine: Engine, files: StoreFiles, scope: ReadScope, serial: str) -> LiveRobotDetail:
    """One robot's live status with its history; `UnknownRecord` for a robot never heard from
    or out of the reader's scope (the two read the same)."""
    status = robot_live(engine, serial) if scope.sees_robot(serial) else None
    if status is None:
        raise UnknownRecord(f"robot {serial!r}: no live status")
    return LiveRobotDetail.model_validate(dict(status, history=robot_history(files, serial)))
