"""A robot's figures over the policy's trailing window, from its summed derived rows.

Only `recording_days` rows of unflagged recordings inside the window count (summed in the
database by `robotwork.evidence.figures`); raw telemetry is never read here. A robot belongs to
the scenario (and site) of its latest deployment that starts by the as-of date and overlaps the
window.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from robotwork.errors import RobotworkError
from robotwork.policy import AutonomyRule, Policy

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


def robot_row(
    serial: str,
    model: str,
    scenario_id: str | None,
    site_id: str | None,
    total: dict[str, Any] | None,
    policy: Policy,
    flagged: bool,
    city: str | None,
) -> RobotRow:
    """One robot's row from its window totals (the summed `recording_days` columns and
    `worked_days`, None with no days in the window): rates, level, routine operation."""
    total = total or {}

    def get(key: str) -> float:
        return float(total.get(key) or 0)

    hours = {m: get(f"{m}_s") / 3600 for m in MODES}
    operating_h = sum(hours.values())
    interventions = int(sum(get(k) for k in RATE_KINDS))
    tasks = int(get("tasks_succeeded") + get("tasks_failed") + get("tasks_aborted"))
    mtbi = hours["autonomous"] / interventions if interventions else None
    worked = int(get("worked_days"))
    return RobotRow(
        robot_serial=serial,
        model=model,
        scenario_id=scenario_id,
        site_id=site_id,
        operating_hours=round(operating_h, 4),
        autonomous_hours=round(hours["autonomous"], 4),
        teleoperated_hours=round(hours["teleoperated"], 4),
        scripted_hours=round(hours["scripted"], 4),
        idle_hours=round(get("idle_s") / 3600, 4),
        interventions=interventions,
        assists=int(get("assist")),
        interventions_per_hour=round(interventions / operating_h, 4) if operating_h else None,
        mtbi_hours=None if mtbi is None else round(mtbi, 4),
        tasks_succeeded=int(get("tasks_succeeded")),
        tasks_failed=int(get("tasks_failed")),
        tasks_aborted=int(get("tasks_aborted")),
        tasks_incomplete=int(get("tasks_incomplete")),
        success_rate=round(get("tasks_succeeded") / tasks, 4) if tasks else None,
        worked_days=worked,
        in_routine_operation=worked >= policy.routine_operation["min_worked_days"],
        autonomy_level=_level(
            policy.autonomy_levels, hours["autonomous"], hours["teleoperated"], hours["scripted"], mtbi
        ),
        flagged=flagged,
        city=city,
    )


def public(row: RobotRow) -> dict[str, Any]:
    """A robot row as JSON (the city is internal: pages show the site)."""
    out = asdict(row)
    out.pop("city")
    return out
