"""Gather a progress report's content from the library, so it says exactly what the CLI prints.

Every figure comes from `compute_compliance` (the checklist, the ranking's compliance) and from
one `gather()` snapshot read through `robot_level`, `scenario_level`, `org_level` and
`national_level`, the functions behind `robotwork metrics`. Nothing here re-derives routine
operation, stages or high value: a report that disagreed with the CLI would be worse than none.
The daily series and the flag list are read with the metrics' own filter (`queries`).
"""

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from robotwork.compliance import ComplianceReport, OrgCompliance, compute_compliance
from robotwork.evidence.ladder import STAGES
from robotwork.evidence.metrics import LEVELS, Evidence, gather, national_level, org_level, scenario_level
from robotwork.evidence.rollup import RobotRow
from robotwork.forecast import forecast_of
from robotwork.policy import Policy
from robotwork.registry.models import Scenario
from robotwork.reports import queries
from robotwork.reports.model import (
    CheckItem,
    Harvest,
    NextStep,
    OrgName,
    ProgressReport,
    RankRow,
    TrendPoint,
)

TREND_WEEKS = 6  # week ends shown in the national trend, the as-of date included


def checklist(c: OrgCompliance, policy: Policy) -> list[CheckItem]:
    """The four obligations of the plan with what the organization has and the verdict on each."""
    quota = policy.quotas[c.kind]
    items = [
        CheckItem(
            "scenarios",
            c.scenarios_counted,
            quota.min_scenarios,
            None,
            "met" if c.scenarios_counted >= quota.min_scenarios else "short",
            c.scenarios_counted >= quota.min_scenarios,
        ),
        CheckItem(
            "domains",
            c.domains_covered,
            quota.min_domains,
            None,
            "met" if len(c.domains_covered) >= quota.min_domains else "short",
            len(c.domains_covered) >= quota.min_domains,
        ),
    ]
    for kind in ("implementation_plan", "progress_report"):
        status = getattr(c, kind)
        items.append(CheckItem(kind, status, None, policy.deadlines[kind], status, status != "missing"))
    return items


def _by_domain_stage(scenarios: list[Scenario], ev: Evidence) -> dict[str, dict[str, int]]:
    matrix = {d: dict.fromkeys(STAGES, 0) for d in ev.policy.domains}
    for s in scenarios:
        matrix.setdefault(s.domain, dict.fromkeys(STAGES, 0))[ev.standing(s.scenario_id).stage] += 1
    return matrix


def _levels(robots: list[RobotRow]) -> tuple[dict[str, int], int]:
    """Robots per autonomy level (as `national_level` counts them) and those with no level."""
    counts = Counter(r.autonomy_level for r in robots)
    return {level: counts.get(level, 0) for level in LEVELS}, counts.get(None, 0)


def _next_steps(rows: list[dict[str, Any]]) -> list[NextStep]:
    """Most advanced first: those are the scenarios closest to counting as high-value applications."""
    steps = []
    for r in rows:
        rung = STAGES.index(r["stage"])
        nxt = STAGES[rung + 1] if rung + 1 < len(STAGES) else None
        steps.append(
            NextStep(
                r["scenario_id"],
                r["title"],
                r["stage"],
                nxt,
                list(r["missing_for_next_stage"]),
                r["high_value"],
            )
        )
    return sorted(steps, key=lambda s: (-STAGES.index(s.stage), s.scenario_id))


def _episodes(robots: list[RobotRow]) -> int:
    return sum(r.tasks_succeeded + r.tasks_failed + r.tasks_aborted + r.tasks_incomplete for r in robots)


def _org_report(engine: Engine, ev: Evidence, c: OrgCompliance, now: datetime) -> ProgressReport:
    org = next(o for o in ev.orgs if o.code == c.code)
    counted = ev.counted(org)
    ids = {s.scenario_id for s in counted}
    every = [r for r in scenario_level(ev) if r["nominated_by"] == org.code]
    figures = next(r for r in org_level(ev) if r["code"] == org.code)
    robots = [r for r in ev.robots if r.scenario_id in ids]
    serials = {r.robot_serial for r in robots}
    levels, no_level = _levels(robots)
    with Session(engine) as session:
        days = queries.daily_series(session, ev.window, serials)
        consortia = queries.consortia(session, {r["scenario_id"] for r in every})
        flags, not_listed = queries.flags(session, serials)
        recordings, flagged = queries.recording_counts(session, serials)
    return ProgressReport(
        as_of=ev.as_of,
        window=ev.window,
        generated_at=now,
        policy=ev.policy,
        org=OrgName(org.code, org.name, org.name_zh, org.kind),
        compliance=c,
        checklist=checklist(c, ev.policy),
        scenarios=[r for r in every if r["scenario_id"] in ids],
        not_counted=len(every) - len(ids),
        by_domain_stage=_by_domain_stage(counted, ev),
        stages=figures["stages"],
        consortia=consortia,
        consortia_total=len(consortia),
        declared=figures["declared_robots_in_operation"],
        verified=figures["robots_in_routine_operation"],
        high_value=figures["high_value_applications"],
        robots_placed=len(robots),
        autonomy_levels=levels,
        no_level=no_level,
        days=days,
        harvest=Harvest(
            round(sum(r.operating_hours for r in robots), 3), _episodes(robots), recordings, flagged
        ),
        flags=flags,
        flags_not_listed=not_listed,
        next_steps=_next_steps([r for r in every if r["scenario_id"] in ids]),
    )


def _rank(ranked: list[dict[str, Any]], i: int) -> int:
    """Competition ranking (1, 2, 2, 4): organizations equal on both figures share a rank."""
    key = _rank_key(ranked[i])
    return next(j for j, o in enumerate(ranked, start=1) if _rank_key(o) == key)


def _rank_key(o: dict[str, Any]) -> tuple[int, int]:
    return (-o["robots_in_routine_operation"], -o["high_value_applications"])


def _ranking(
    report: ComplianceReport, orgs: list[dict[str, Any]]
) -> tuple[dict[str, list[RankRow]], dict[str, int]]:
    """Provinces and central SOEs with counted scenarios, by verified robots then high value."""
    standing = {c.code: c for c in report.organizations}
    ranking: dict[str, list[RankRow]] = {}
    unranked: dict[str, int] = {}
    for kind in ("province", "central_soe"):
        rows = [o for o in orgs if o["kind"] == kind]
        ranked = [o for o in rows if standing[o["code"]].scenarios_counted]
        ranked.sort(key=lambda o: (*_rank_key(o), o["code"]))
        ranking[kind] = [
            RankRow(
                _rank(ranked, i),
                OrgName(o["code"], o["name"], o["name_zh"], kind),
                o["robots_in_routine_operation"],
                o["declared_robots_in_operation"],
                o["high_value_applications"],
                standing[o["code"]].scenarios_counted,
                standing[o["code"]].compliant,
            )
            for i, o in enumerate(ranked)
        ]
        unranked[kind] = len(rows) - len(ranked)
    return ranking, unranked


def national_trend(engine: Engine, policy: Policy, as_of: date, now: dict[str, Any]) -> list[TrendPoint]:
    """The national figures at each of the last week ends, each from its own `gather()` snapshot."""
    points = []
    for weeks in range(TREND_WEEKS - 1, -1, -1):
        day = as_of - timedelta(weeks=weeks)
        row = now if weeks == 0 else national_level(gather(engine, policy, day))[0]
        points.append(TrendPoint(day, row["robots_in_routine_operation"], row["high_value_applications"]))
    return points


def _national_report(engine: Engine, ev: Evidence, report: ComplianceReport, now: datetime) -> ProgressReport:
    orgs = org_level(ev)
    [national] = national_level(ev, orgs)
    counted = [s for o in ev.orgs for s in ev.counted(o)]
    stages = {stage: sum(o["stages"][stage] for o in orgs) for stage in STAGES}
    ranking, unranked = _ranking(report, orgs)
    with Session(engine) as session:
        days = queries.daily_series(session, ev.window, None)
        consortia = queries.consortia(session, None)
        flags, not_listed = queries.flags(session, None)
    return ProgressReport(
        as_of=ev.as_of,
        window=ev.window,
        generated_at=now,
        policy=ev.policy,
        org=None,
        compliance=None,
        checklist=[],
        scenarios=[],
        not_counted=0,
        by_domain_stage=_by_domain_stage(counted, ev),
        stages=stages,
        consortia=[c for c in consortia if c.missing_roles],
        consortia_total=len(consortia),
        declared=national["declared_robots_in_operation"],
        verified=national["robots_in_routine_operation"],
        high_value=national["high_value_applications"],
        robots_placed=sum(r.scenario_id is not None for r in ev.robots),
        autonomy_levels=dict(national["autonomy_levels"]),
        no_level=sum(r.autonomy_level is None for r in ev.robots),
        days=days,
        harvest=Harvest(
            national["operating_hours"],
            _episodes(ev.robots),
            national["recordings"],
            national["flagged_recordings"],
        ),
        flags=flags,
        flags_not_listed=not_listed,
        next_steps=[],
        national=national,
        compliance_summary=report.summary(),
        ranking=ranking,
        unranked=unranked,
        trend=national_trend(engine, ev.policy, ev.as_of, national),
    )


def gather_progress(engine: Engine, policy: Policy, *, org: str | None, as_of: date) -> ProgressReport:
    """The content of one organization's progress report (`org` a code), or the nation's (None).

    An unknown code raises `UnknownRecord` from `compute_compliance`, the CLI's one-line error.
    """
    report = compute_compliance(engine, policy, as_of, org)
    ev = gather(engine, policy, as_of)
    now = datetime.now(policy.zone)
    if org is None:
        progress = _national_report(engine, ev, report, now)
    else:
        progress = _org_report(engine, ev, report.organizations[0], now)
    progress.forecast = forecast_of(engine, policy, as_of, org)
    return progress
