"""The plan's figures from the derived tables: per robot, scenario, nominating organization, nation.

Only `recording_days` rows of unflagged recordings inside the policy's trailing window count;
raw telemetry is never read here. A robot belongs to the scenario (and site) of its deployment
on the as-of date, or else of its latest deployment that overlaps the window.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from robotwork.errors import RobotworkError
from robotwork.evidence.ladder import RoutineRobot, Standing, stand
from robotwork.policy import AutonomyRule, Policy
from robotwork.registry.models import Deployment, Flag, Recording, RecordingDay, Robot, Site

MODES = ("autonomous", "teleoperated", "scripted")
RATE_KINDS = ("takeover", "correction", "estop")


@dataclass(frozen=True)
class Window:
    """The trailing window of the policy, both ends included, in program calendar days."""

    start: date
    end: date

    @classmethod
    def ending(cls, as_of: date, policy: Policy) -> "Window":
        """The window ending on `as_of` (telemetry times are int64 ns since 1970: stay inside)."""
        if not 1971 <= as_of.year <= 2200:
            raise RobotworkError(f"as-of date {as_of.isoformat()}: outside the years 1971-2200")
        return cls(as_of - timedelta(days=policy.routine_operation["window_days"] - 1), as_of)


@dataclass
class RobotRow:
    """One robot's figures over the window (field names are the ``--json`` contract)."""

    robot_serial: str
    model: str
    scenario_id: str | None
    site_id: str | None
    operating_hours: float = 0.0
    autonomous_hours: float = 0.0
    teleoperated_hours: float = 0.0
    scripted_hours: float = 0.0
    idle_hours: float = 0.0
    interventions: int = 0
    assists: int = 0
    interventions_per_hour: float | None = None
    mtbi_hours: float | None = None
    tasks_succeeded: int = 0
    tasks_failed: int = 0
    tasks_aborted: int = 0
    tasks_incomplete: int = 0
    success_rate: float | None = None
    worked_days: int = 0
    in_routine_operation: bool = False
    autonomy_level: str | None = None
    flagged: bool = False
    city: str | None = field(default=None, repr=False)


def _level(
    rules: tuple[AutonomyRule, ...], auto: float, tele: float, script: float, mtbi: float | None
) -> str | None:
    total = auto + tele + script
    if total <= 0:
        return None
    for rule in rules:
        if rule.min_autonomous_share is not None and auto / total < rule.min_autonomous_share:
            continue
        if rule.min_mtbi_hours is not None and mtbi is not None and mtbi < rule.min_mtbi_hours:
            continue
        if rule.scripted_at_least_teleoperated and script < tele:
            continue
        return rule.level
    return None


def _placements(session: Session, window: Window) -> dict[str, Deployment]:
    """Each robot's deployment on the as-of date, else its latest one overlapping the window."""
    chosen: dict[str, Deployment] = {}
    query = select(Deployment).where(Deployment.start_date <= window.end).order_by(Deployment.start_date)
    for d in session.scalars(query):
        if d.end_date is not None and d.end_date < window.start:
            continue
        chosen[d.robot_serial] = d  # later starts win
    return chosen


_SUMMED = [c for c in RecordingDay.__table__.columns if c.name not in ("recording_id", "day", "robot_serial")]


def _day_sums(session: Session, window: Window) -> dict[str, dict[date, dict[str, float]]]:
    """Per robot and day, the derived columns summed over its unflagged recordings (in SQL)."""
    flagged = select(Flag.recording_id).where(Flag.cleared_at.is_(None))
    query = (
        select(RecordingDay.robot_serial, RecordingDay.day, *[func.sum(c) for c in _SUMMED])
        .where(
            RecordingDay.day >= window.start,
            RecordingDay.day <= window.end,
            RecordingDay.recording_id.not_in(flagged),
        )
        .group_by(RecordingDay.robot_serial, RecordingDay.day)
    )
    names = [c.name for c in _SUMMED]
    sums: dict[str, dict[date, dict[str, float]]] = defaultdict(dict)
    for serial, day, *values in session.execute(query):
        sums[serial][day] = dict(zip(names, values, strict=True))
    return sums


def _robot_row(
    robot: Robot,
    placement: Deployment | None,
    days: dict[date, dict[str, float]],
    policy: Policy,
    flagged: bool,
    city: str | None,
) -> RobotRow:
    routine = policy.routine_operation
    total: dict[str, float] = defaultdict(float)
    worked = 0
    for day in days.values():
        for key, value in day.items():
            total[key] += value
        operating = sum(day[f"{m}_s"] for m in MODES)
        if (
            operating >= routine["worked_day_min_operating_hours"] * 3600
            and day["tasks_started"] >= routine["worked_day_min_tasks"]
        ):
            worked += 1
    hours = {m: total[f"{m}_s"] / 3600 for m in MODES}
    operating_h = sum(hours.values())
    interventions = int(sum(total[k] for k in RATE_KINDS))
    tasks = int(total["tasks_succeeded"] + total["tasks_failed"] + total["tasks_aborted"])
    mtbi = hours["autonomous"] / interventions if interventions else None
    return RobotRow(
        robot_serial=robot.serial,
        model=robot.model,
        scenario_id=placement.scenario_id if placement else None,
        site_id=placement.site_id if placement else None,
        operating_hours=round(operating_h, 4),
        autonomous_hours=round(hours["autonomous"], 4),
        teleoperated_hours=round(hours["teleoperated"], 4),
        scripted_hours=round(hours["scripted"], 4),
        idle_hours=round(total["idle_s"] / 3600, 4),
        interventions=interventions,
        assists=int(total["assist"]),
        interventions_per_hour=round(interventions / operating_h, 4) if operating_h else None,
        mtbi_hours=None if mtbi is None else round(mtbi, 4),
        tasks_succeeded=int(total["tasks_succeeded"]),
        tasks_failed=int(total["tasks_failed"]),
        tasks_aborted=int(total["tasks_aborted"]),
        tasks_incomplete=int(total["tasks_incomplete"]),
        success_rate=round(total["tasks_succeeded"] / tasks, 4) if tasks else None,
        worked_days=worked,
        in_routine_operation=worked >= routine["min_worked_days"],
        autonomy_level=_level(
            policy.autonomy_levels, hours["autonomous"], hours["teleoperated"], hours["scripted"], mtbi
        ),
        flagged=flagged,
        city=city,
    )


def robot_rows(session: Session, policy: Policy, window: Window) -> list[RobotRow]:
    """Every robot of the registry with its figures over the window."""
    placements = _placements(session, window)
    sums = _day_sums(session, window)
    cities = {s.site_id: s.city for s in session.scalars(select(Site))}
    start_ns, end_ns = _window_ns(window, policy)
    flagged = set(
        session.scalars(
            select(Recording.robot_serial)
            .join(Flag, Flag.recording_id == Recording.recording_id)
            .where(Flag.cleared_at.is_(None), Recording.start_ns < end_ns, Recording.end_ns >= start_ns)
        )
    )
    rows = []
    for robot in session.scalars(select(Robot).order_by(Robot.serial)):
        placement = placements.get(robot.serial)
        city = cities.get(placement.site_id) if placement else None
        rows.append(
            _robot_row(robot, placement, sums.get(robot.serial, {}), policy, robot.serial in flagged, city)
        )
    return rows


def _window_ns(window: Window, policy: Policy) -> tuple[int, int]:
    from datetime import datetime, time

    def ns(day: date) -> int:
        return int(datetime.combine(day, time.min, tzinfo=policy.zone).timestamp()) * 10**9

    return ns(window.start), ns(window.end + timedelta(days=1))


def scenario_standings(robots: list[RobotRow], policy: Policy) -> dict[str, Standing]:
    """Each scenario with robots: its stage, what is missing, success rate and high value."""
    by_scenario: dict[str, list[RoutineRobot]] = defaultdict(list)
    for r in robots:
        if r.scenario_id is None:
            continue
        by_scenario.setdefault(r.scenario_id, [])
        if r.in_routine_operation:
            tasks = r.tasks_succeeded + r.tasks_failed + r.tasks_aborted
            by_scenario[r.scenario_id].append(
                RoutineRobot(r.robot_serial, r.site_id, r.city, tasks, r.tasks_succeeded)
            )
    return {sid: stand(rs, policy) for sid, rs in by_scenario.items()}


def count_recordings(session: Session) -> tuple[int, int]:
    """Recordings stored, and those with an uncleared flag."""
    total = session.scalar(select(func.count()).select_from(Recording)) or 0
    flagged = (
        session.scalar(select(func.count(func.distinct(Flag.recording_id))).where(Flag.cleared_at.is_(None)))
        or 0
    )
    return int(total), int(flagged)


def public(row: RobotRow) -> dict[str, Any]:
    """A robot row as JSON (the city is internal: pages show the site)."""
    out = asdict(row)
    out.pop("city")
    return out
