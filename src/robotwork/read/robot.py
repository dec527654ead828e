"""One robot: its figures over the window, a per-day timeline, its recordings, flags and live status.

The timeline sums `recording_days` per day; recordings with an uncleared flag are shown apart
(`flagged_operating_hours`) because they do not count, which is exactly what a reviewer needs
to see beside the counted hours. A robot is read only within the reader's scope: out of it, the
robot reads as unknown.
"""

from datetime import date, timedelta
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from robotwork.access import ReadScope
from robotwork.errors import UnknownRecord
from robotwork.evidence.figures import flagged_recording_ids, unflagged_day_sums
from robotwork.evidence.metrics import gather, robot_level
from robotwork.evidence.rollup import MODES, RATE_KINDS
from robotwork.live.view import robot_live
from robotwork.policy import Policy
from robotwork.read.flag import Flag
from robotwork.read.lists import RobotRow
from robotwork.read.live import LiveAlert, LiveRobot
from robotwork.read.models import OrgName, ReadModel
from robotwork.read.recording import Recording, list_recordings
from robotwork.registry.models import Deployment, Organization, RecordingDay, Robot

TIMELINE_DAYS = 60
_HOURS = tuple(f"{name}_hours" for name in (*MODES, "idle", "fault"))
_COUNTS = ("tasks_succeeded", "tasks_failed", "tasks_aborted", "interventions", "assists")


class RobotRecord(ReadModel):
    """The robot as the registry has it."""

    serial: str
    model: str
    built_on: str | None
    manufacturer: OrgName
    owner: OrgName | None


class RobotDeployment(ReadModel):
    """A deployment of the robot on a scenario at a site."""

    scenario_id: str
    site_id: str
    start_date: str
    end_date: str | None


class TimelineDay(ReadModel):
    """One day of a robot's timeline: hours by control mode and of idle and fault, tasks and
    interventions of counted recordings, and the operating hours of flagged ones (not counted)."""

    model_config = ConfigDict(extra="forbid")  # a new control mode must be named here

    day: str
    autonomous_hours: float
    teleoperated_hours: float
    scripted_hours: float
    idle_hours: float
    fault_hours: float
    tasks_succeeded: int
    tasks_failed: int
    tasks_aborted: int
    interventions: int
    assists: int
    flagged_operating_hours: float

    def __getitem__(self, key: str) -> float | int | str:
        """A column by name (the chart takes the series it draws by their names)."""
        return getattr(self, key)


class LiveStatus(LiveRobot):
    """The robot's live status with its open alerts."""

    alerts: list[LiveAlert]


class RobotView(ReadModel):
    """A robot's page: registry record, figures (its row of the robot-level metrics),
    deployments, the per-day timeline, recordings, flags and live status."""

    as_of: str
    robot: RobotRecord
    figures: RobotRow
    deployments: list[RobotDeployment]
    timeline: list[TimelineDay]
    timeline_days: int
    recordings: list[Recording]
    flags: list[Flag]
    live: LiveStatus | None


def _org(org: Organization | None, code: str) -> OrgName:
    return OrgName(code=code, name=org.name if org else code, name_zh=org.name_zh if org else None)


def robot(engine: Engine, policy: Policy, as_of: date, scope: ReadScope, serial: str) -> RobotView:
    """The robot's page data; `UnknownRecord` when the serial is not in the registry or not the
    reader's to read (the two read the same)."""
    if not scope.sees_robot(serial):
        raise UnknownRecord(
            f"robot {serial!r}: not in the registry, or not yours to read", kind="robot", key=serial
        )
    with Session(engine) as session:
        found = session.get(Robot, serial)
        if found is None:
            raise UnknownRecord(
                f"robot {serial!r}: not in the registry, or not yours to read", kind="robot", key=serial
            )
        owner = found.owner_org
        record = RobotRecord(
            serial=found.serial,
            model=found.model,
            built_on=found.built_on.isoformat() if found.built_on else None,
            manufacturer=_org(session.get(Organization, found.manufacturer), found.manufacturer),
            owner=_org(session.get(Organization, owner), owner) if owner else None,
        )
        query = select(Deployment).where(Deployment.robot_serial == serial).order_by(Deployment.start_date)
        deployments = [
            RobotDeployment(
                scenario_id=d.scenario_id,
                site_id=d.site_id,
                start_date=d.start_date.isoformat(),
                end_date=d.end_date.isoformat() if d.end_date else None,
            )
            for d in session.scalars(query)
        ]
    figures = RobotRow.model_validate(
        next(r for r in robot_level(gather(engine, policy, as_of)) if r["robot_serial"] == serial)
    )
    recordings = list_recordings(engine, policy, scope, robot=serial)
    live = robot_live(engine, serial)
    return RobotView(
        as_of=as_of.isoformat(),
        robot=record,
        figures=figures,
        deployments=deployments,
        timeline=timeline(engine, serial, as_of),
        timeline_days=TIMELINE_DAYS,
        recordings=recordings,
        flags=[f for r in recordings for f in r.flags],
        live=LiveStatus.model_validate(live) if live else None,
    )


def _sums() -> list[Any]:
    """The timeline's columns summed over a day's recording days (hours as seconds)."""
    day = RecordingDay
    hours = [func.sum(getattr(day, key.replace("_hours", "_s"))).label(key) for key in _HOURS]
    tasks = [func.sum(getattr(day, key)).label(key) for key in _COUNTS[:3]]
    interventions = func.sum(sum(getattr(day, kind) for kind in RATE_KINDS)).label("interventions")
    return [*hours, *tasks, interventions, func.sum(day.assist).label("assists")]


def timeline(engine: Engine, serial: str, as_of: date, days: int = TIMELINE_DAYS) -> list[TimelineDay]:
    """Every day from the first with data (of the `days` days up to `as_of`) to `as_of`: hours by
    control mode, tasks and interventions of counted recordings (the one sum of unflagged recording
    days, `evidence.figures.unflagged_day_sums`), and the operating hours of flagged ones (not
    counted). Days without data are zeros, so a gap in work shows as a gap."""
    start = as_of - timedelta(days=days - 1)
    operating = sum(getattr(RecordingDay, f"{mode}_s") for mode in MODES)
    flagged_query = (
        select(RecordingDay.day, func.sum(operating))
        .where(
            RecordingDay.robot_serial == serial,
            RecordingDay.day >= start,
            RecordingDay.day <= as_of,
            RecordingDay.recording_id.in_(flagged_recording_ids()),
        )
        .group_by(RecordingDay.day)
    )
    with Session(engine) as session:
        counted = {
            row.day: dict(row._mapping)
            for row in session.execute(unflagged_day_sums(_sums(), serials=[serial], start=start, end=as_of))
        }
        flagged_s = {day: float(seconds or 0) for day, seconds in session.execute(flagged_query)}
    if not counted and not flagged_s:
        return []
    first = min((*counted, *flagged_s))
    span = [first + timedelta(days=i) for i in range((as_of - first).days + 1)]

    def one(d: date) -> TimelineDay:
        row = counted.get(d, {})
        return TimelineDay.model_validate(
            {
                "day": d.isoformat(),
                **{k: round(float(row.get(k) or 0) / 3600, 3) for k in _HOURS},
                **{k: int(row.get(k) or 0) for k in _COUNTS},
                "flagged_operating_hours": round(flagged_s.get(d, 0.0) / 3600, 3),
            }
        )

    return [one(d) for d in span]
