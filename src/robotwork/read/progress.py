"""A progress report's content, from the read layer, so it says exactly what the pages and the
CLI print.

Every figure comes from `compute_compliance` (the standing, the ranking's compliance), the
checklist, the consortia and the domain x stage matrix of the organization page
(`read.compliance`, `read.consortium`, `read.organization`) and one `gather()` snapshot read
through `robot_level`, `scenario_level`, `org_level` and `national_level`, the functions behind
`robotwork metrics`. Nothing here re-derives routine operation, stages or high value: a report
that disagreed with the CLI would be worse than none. The daily series and the flag list are read
with the metrics' own filter (`read.progress_series`). `robotwork.reports` only renders this.
"""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.compliance import ComplianceReport, OrgCompliance, compute_compliance
from robotwork.evidence.figures import recording_counts
from robotwork.evidence.ladder import STAGES
from robotwork.evidence.metrics import LEVELS, Evidence, gather, national_level, org_level, scenario_level
from robotwork.evidence.rollup import RobotRow
from robotwork.evidence.shortfall import Shortfall
from robotwork.forecast import forecast_of
from robotwork.policy import Policy
from robotwork.read import progress_series as series
from robotwork.read.compliance import checklist, submitted_on
from robotwork.read.consortium import consortia
from robotwork.read.models import OrgName
from robotwork.read.organization import domain_stage_matrix
from robotwork.read.progress_model import Harvest, NextStep, ProgressReport, RankRow, TrendPoint
from robotwork.registry.models import Dataset, Scenario

TREND_WEEKS = 6  # week ends shown in the national trend, the as-of date included


def _by_domain_stage(scenarios: list[Scenario], ev: Evidence) -> dict[str, dict[str, int]]:
    return domain_stage_matrix(ev.policy, ((s.domain, ev.standing(s.scenario_id).stage) for s in scenarios))


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
                [Shortfall.load(m) for m in r["shortfalls"]],
                r["high_value"],
            )
        )
    return sorted(steps, key=lambda s: (-STAGES.index(s.stage), s.scenario_id))


def datasets_exported(engine: Engine, policy: Policy, as_of: date, scenario_ids: set[str] | None) -> int:
    """Training datasets exported by the end of `as_of` in the program's time zone (None: every
    one; else those made from any of `scenario_ids`), the data lever's last figure."""
    end = datetime.combine(as_of + timedelta(days=1), datetime.min.time(), tzinfo=policy.zone)
    with Session(engine) as session:
        rows = session.execute(select(Dataset.scenario_ids, Dataset.created_at)).all()
    return sum(
        1
        for ids, made in rows
        if _aware(made) < end and (scenario_ids is None or scenario_ids & set(ids or []))
    )


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
        days = series.daily_series(session, ev.window, serials)
        flags, not_listed = series.flags(session, serials)
        counts = recording_counts(session.connection(), serials)
    cards = consortia(engine, {r["scenario_id"] for r in every})
    return ProgressReport(
        as_of=ev.as_of,
        window=ev.window,
        generated_at=now,
        policy=ev.policy,
        org=OrgName(code=org.code, name=org.name, name_zh=org.name_zh, kind=org.kind),
        compliance=c,
        checklist=checklist(c, ev.policy, submitted_on(engine, org.code, ev.as_of)),
        scenarios=[r for r in every if r["scenario_id"] in ids],
        not_counted=len(every) - len(ids),
        by_domain_stage=_by_domain_stage(counted, ev),
        stages=figures["stages"],
        consortia=cards,
        consortia_total=len(cards),
        declared=figures["declared_robots_in_operation"],
        verified=figures["robots_in_routine_operation"],
        high_value=figures["high_value_applications"],
        robots_placed=len(robots),
        autonomy_levels=levels,
        no_level=no_level,
        days=days,
        harvest=Harvest(
            round(sum(r.operating_hours for r in robots), 3),
            _episodes(robots),
            counts["recordings"],
            counts["flagged_recordings"],
            datasets_exported(engine, ev.policy, ev.as_of, ids),
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
                OrgName(code=o["code"], name=o["name"], name_zh=o["name_zh"], kind=kind),
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
        days = series.daily_series(session, ev.window, None)
        flags, not_listed = series.flags(session, None)
    cards = consortia(engine, None)
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
        consortia=[c for c in cards if c.missing_roles],
        consortia_total=len(cards),
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
            datasets_exported(engine, ev.policy, ev.as_of, None),
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
