"""The typed content of a progress report: what the report's template shows, nothing it computes.

Kept apart from the gathering (`read.progress`) so the template, the charts and the tests all
read one plain structure whose every figure was taken from the read layer and the library
(`compliance`, `evidence.metrics`): the checklist, consortia and organization names are the
page's own read models (`read.compliance`, `read.consortium`, `read.models`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from robotwork.compliance import OrgCompliance
from robotwork.evidence.rollup import Window
from robotwork.evidence.shortfall import Shortfall
from robotwork.policy import Policy
from robotwork.read.compliance import CheckItem
from robotwork.read.consortium import ConsortiumCard
from robotwork.read.models import OrgName


@dataclass(frozen=True)
class DayPoint:
    """One program day of the window, summed over the unflagged recordings of the report's robots."""

    day: date
    operating_hours: float
    tasks_judged: int  # succeeded + failed + aborted, the success rate's denominator
    tasks_succeeded: int
    interventions: int  # takeover + correction + estop, as `robotwork metrics` counts them

    @property
    def success_rate(self) -> float | None:
        """Succeeded over judged tasks that day; None without a judged task."""
        return self.tasks_succeeded / self.tasks_judged if self.tasks_judged else None

    @property
    def interventions_per_hour(self) -> float | None:
        """Interventions per operating hour that day; None without operating time."""
        return self.interventions / self.operating_hours if self.operating_hours else None


@dataclass(frozen=True)
class Harvest:
    """What the program's data lever has collected so far, and the training datasets exported."""

    operating_hours: float
    task_episodes: int
    recordings: int
    flagged_recordings: int
    datasets_exported: int


@dataclass(frozen=True)
class FlagInfo:
    """An integrity flag on one of the report's robots' recordings."""

    rule: str
    robot_serial: str
    recording_id: str
    source_name: str
    flagged_at: datetime
    cleared: bool
    evidence: dict[str, Any]


@dataclass(frozen=True)
class NextStep:
    """A scenario's stage and what the next rung still lacks (as data, worded by the template)."""

    scenario_id: str
    title: str
    stage: str
    next_stage: str | None
    shortfalls: list[Shortfall]
    high_value: bool


@dataclass(frozen=True)
class RankRow:
    """One province or central SOE in the national ranking (figures of `org_level` and compliance)."""

    rank: int
    org: OrgName
    robots_in_routine_operation: int
    declared_robots_in_operation: int
    high_value_applications: int
    scenarios_counted: int
    compliant: bool


@dataclass(frozen=True)
class TrendPoint:
    """The two national figures as `robotwork metrics --by national` gives them at one week's end."""

    as_of: date
    robots_in_routine_operation: int
    high_value_applications: int


@dataclass
class ProgressReport:
    """Everything one progress report says, for one organization or the nation, as of a date."""

    as_of: date
    window: Window
    generated_at: datetime
    policy: Policy
    org: OrgName | None  # None: the national report
    compliance: OrgCompliance | None
    checklist: list[CheckItem]
    scenarios: list[dict[str, Any]]  # `scenario_level` rows of the counted scenarios
    not_counted: int
    by_domain_stage: dict[str, dict[str, int]]
    stages: dict[str, int]  # `org_level` stages (summed over organizations for the nation)
    consortia: list[ConsortiumCard]
    consortia_total: int
    declared: int
    verified: int
    high_value: int
    robots_placed: int
    autonomy_levels: dict[str, int]
    no_level: int  # robots of the report without operating time in the window
    days: list[DayPoint]  # every day of the window, oldest first
    harvest: Harvest
    flags: list[FlagInfo]
    flags_not_listed: int
    next_steps: list[NextStep]
    national: dict[str, Any] = field(default_factory=dict)  # `national_level` row
    compliance_summary: dict[str, int] = field(default_factory=dict)
    ranking: dict[str, list[RankRow]] = field(default_factory=dict)
    unranked: dict[str, int] = field(default_factory=dict)
    trend: list[TrendPoint] = field(default_factory=list)
    forecast: dict[str, Any] = field(default_factory=dict)  # `robotwork.forecast.forecast_of`

    @property
    def is_national(self) -> bool:
        """The national report adds the ranking and the targets."""
        return self.org is None

    @property
    def has_days(self) -> bool:
        """Whether any day of the window holds verified operating time or a judged task."""
        return any(d.operating_hours or d.tasks_judged for d in self.days)

    @property
    def is_empty(self) -> bool:
        """No counted scenario and no operating data: the report says so instead of showing zeros."""
        return not sum(self.stages.values()) and not self.harvest.recordings and not self.has_days
