"""The national overview: targets, compliance of every nominator, autonomy, the data lever, the
forecast and the plan's facts.

Every figure comes from `compute_compliance` (which reads `gather` once), so the page, its JSON
twin, ``GET /api/v1/national``, ``robotwork compliance`` and ``robotwork metrics --by national``
show the same numbers.
"""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select

from robotwork.compliance import OrgCompliance
from robotwork.evidence import figure_tables as ft
from robotwork.evidence.standing import ensure_days
from robotwork.forecast import program_forecast
from robotwork.policy import Policy
from robotwork.read.compliance import compliance
from robotwork.read.facts import FactsView, facts
from robotwork.read.kept import Kept
from robotwork.read.models import ReadModel


class PolicyName(ReadModel):
    """The policy file the figures were computed under."""

    name: str
    version: str


class PayoffWeek(ReadModel):
    """One week (Monday first) of the data lever: interventions per operating hour, hours so far."""

    week: date
    to: date
    operating_hours: float
    interventions: int
    interventions_per_hour: float | None
    cumulative_operating_hours: float


class NationalView(ReadModel):
    """The national page: targets, declared beside verified, days left, every nominator
    (non-compliant first), the weekly data lever, the forecast and the facts."""

    as_of: date
    policy: PolicyName
    national: dict[str, Any]  # the `national_level` row of ``robotwork metrics --by national``
    summary: dict[str, int]
    progress_report_due: date
    days_left: int
    provinces: list[OrgCompliance]
    central_soes: list[OrgCompliance]
    payoff: list[PayoffWeek]
    forecast: dict[str, Any]  # `robotwork.forecast.program_forecast`
    facts: FactsView


_KEPT: Kept[NationalView] = Kept()


def national(engine: Engine, policy: Policy, as_of: date) -> NationalView:
    """The national overview as of `as_of`: the same for every reader (the figures are public),
    so it is kept until the evidence or the registry changes (`read.kept`); readers who arrive
    while the next one is being read get the one before (recordings are counted several times a
    second at national scale; the figures API reads the stored row and is always current)."""
    return _KEPT.get(engine, policy, as_of, lambda: _national(engine, policy, as_of), previous_ok=True)


def _national(engine: Engine, policy: Policy, as_of: date) -> NationalView:
    report = compliance(engine, policy, as_of)
    due = policy.deadlines["progress_report"]
    provinces = [o for o in report.organizations if o.kind == "province"]
    central_soes = [o for o in report.organizations if o.kind == "central_soe"]
    return NationalView(
        as_of=as_of,
        policy=PolicyName(name=policy.name, version=policy.version),
        national=report.national,
        summary=report.summary(),
        progress_report_due=due,
        days_left=(due - as_of).days,
        provinces=provinces,
        central_soes=central_soes,
        payoff=data_payoff(engine, as_of),
        forecast=program_forecast(engine, policy, as_of),
        facts=facts(engine, policy, as_of, report),
    )


def data_payoff(engine: Engine, as_of: date) -> list[PayoffWeek]:
    """Per week (Monday first): interventions per operating hour, and operating hours harvested
    so far. Read from the stored per-day totals of `recording_days` of recordings without an
    uncleared flag (`robotwork.evidence.figures.refresh_days`: the same modes and intervention
    kinds as the metrics), so a falling rate against rising hours shows whether the harvested
    data is paying off in autonomy."""
    ensure_days(engine)
    query = select(ft.days.c.day, ft.days.c.operating_s, ft.days.c.interventions).where(
        ft.days.c.day <= as_of
    )
    weeks: dict[date, list[float]] = {}
    with engine.connect() as conn:
        for day, seconds, count in conn.execute(query.order_by(ft.days.c.day)):
            week = weeks.setdefault(day - timedelta(days=day.weekday()), [0.0, 0.0])
            week[0] += float(seconds or 0)
            week[1] += float(count or 0)
    out, cumulative = [], 0.0
    for monday, (seconds, count) in sorted(weeks.items()):
        hours = seconds / 3600
        cumulative += hours
        out.append(
            PayoffWeek(
                week=monday,
                to=min(monday + timedelta(days=6), as_of),
                operating_hours=round(hours, 2),
                interventions=int(count),
                interventions_per_hour=round(count / hours, 4) if hours else None,
                cumulative_operating_hours=round(cumulative, 2),
            )
        )
    return out
