"""`robotwork metrics`: the figures by robot, scenario, nominating organization and nation.

One function per level, all from one `Evidence` snapshot, so pages, reports, compliance and the
CLI read the same numbers.
"""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from threading import Lock
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from robotwork.evidence.ladder import STAGES, Standing, stand
from robotwork.evidence.rollup import (
    RobotRow,
    Window,
    count_recordings,
    public,
    robot_rows,
    scenario_standings,
)
from robotwork.policy import Policy
from robotwork.registry.models import Change, Flag, Organization, Recording, Scenario, Site
from robotwork.registry.scenarios import counted_scenarios
from robotwork.registry.template import NOMINATOR_KINDS

LEVELS = ("L0", "L1", "L2", "L3", "L4")


@dataclass
class Evidence:
    """Everything the figures are made of, as of one date."""

    as_of: date
    window: Window
    policy: Policy
    robots: list[RobotRow]
    standings: dict[str, Standing]
    scenarios: list[Scenario]
    sites: dict[str, Site]
    orgs: list[Organization]
    recordings: int
    flagged_recordings: int

    def standing(self, scenario_id: str) -> Standing:
        """A scenario's standing; one without robots is `nominated` and lacks a verified robot."""
        return self.standings.get(scenario_id) or stand([], self.policy)

    @cached_property
    def _nominated(self) -> dict[str, list[Scenario]]:
        by: dict[str, list[Scenario]] = {}
        for s in self.scenarios:
            by.setdefault(s.nominated_by, []).append(s)
        return by

    def counted(self, org: Organization) -> list[Scenario]:
        """The organization's scenarios that count toward its quota as of the date."""
        return counted_scenarios(self._nominated.get(org.code, []), self.sites, org.kind, self.as_of)[0]


def _generation(engine: Engine) -> tuple[object, ...]:
    """Changes whenever a figure could: registry writes, recordings stored, flags raised or cleared."""
    query = select(
        select(func.max(Change.id)).scalar_subquery(),
        select(func.count()).select_from(Recording).scalar_subquery(),
        select(func.count(Flag.id)).scalar_subquery(),
        select(func.count(Flag.cleared_at)).scalar_subquery(),
    )
    with Session(engine) as session:
        return tuple(session.execute(query).one())


_CACHE: OrderedDict[tuple[object, ...], "Evidence"] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = Lock()


def gather(engine: Engine, policy: Policy, as_of: date) -> Evidence:
    """Every level's figures as of a date; answered from memory while nothing has changed.

    Pages, reports, compliance and the API all ask for the same snapshot, often several times per
    request; the snapshot is recomputed only when the registry, the recordings or the flags change.
    """
    key = (str(engine.url), id(engine), policy.source, policy.version, as_of, _generation(engine))
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    evidence = _gather(engine, policy, as_of)
    with _LOCK:
        _CACHE[key] = evidence
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return evidence


def _gather(engine: Engine, policy: Policy, as_of: date) -> Evidence:
    """Read the derived tables and the registry once for every level of figures."""
    window = Window.ending(as_of, policy)
    with Session(engine) as session:
        robots = robot_rows(session, policy, window)
        total, flagged = count_recordings(session)
        scenarios = list(session.scalars(select(Scenario).order_by(Scenario.scenario_id)))
        sites = {s.site_id: s for s in session.scalars(select(Site))}
        orgs = list(
            session.scalars(
                select(Organization).where(Organization.kind.in_(NOMINATOR_KINDS)).order_by(Organization.code)
            )
        )
        session.expunge_all()
    return Evidence(
        as_of,
        window,
        policy,
        robots,
        scenario_standings(robots, policy),
        scenarios,
        sites,
        orgs,
        total,
        flagged,
    )


def robot_level(ev: Evidence) -> list[dict[str, Any]]:
    """Rows of ``--by robot``."""
    return [public(r) for r in ev.robots]


def scenario_level(ev: Evidence) -> list[dict[str, Any]]:
    """Rows of ``--by scenario``: every scenario nominated on or before the as-of date."""
    rows = []
    for s in ev.scenarios:
        if s.nominated_on > ev.as_of:
            continue
        standing = ev.standing(s.scenario_id)
        routine = [r for r in ev.robots if r.scenario_id == s.scenario_id and r.in_routine_operation]
        rows.append(
            {
                "scenario_id": s.scenario_id,
                "title": s.title,
                "nominated_by": s.nominated_by,
                "domain": s.domain,
                "status": s.status,
                "stage": standing.stage,
                "robots": sum(r.scenario_id == s.scenario_id for r in ev.robots),
                "robots_in_routine_operation": len(routine),
                "sites_in_routine_operation": len({r.site_id for r in routine if r.site_id}),
                "cities": sorted({r.city for r in routine if r.city}),
                "success_rate": None if standing.success_rate is None else round(standing.success_rate, 4),
                "high_value": standing.high_value,
                "missing_for_next_stage": standing.missing_for_next_stage,
                "declared_robots_in_operation": s.declared_robots_in_operation,
            }
        )
    return rows


def org_level(ev: Evidence) -> list[dict[str, Any]]:
    """Rows of ``--by province``: every province, then every central SOE, on counted scenarios."""
    rows = []
    for org in sorted(ev.orgs, key=lambda o: (o.kind != "province", o.code)):
        counted = ev.counted(org)
        ids = {s.scenario_id for s in counted}
        stages = dict.fromkeys(STAGES, 0)
        for s in counted:
            stages[ev.standing(s.scenario_id).stage] += 1
        rows.append(
            {
                "code": org.code,
                "name": org.name,
                "name_zh": org.name_zh,
                "kind": org.kind,
                "robots_in_routine_operation": sum(
                    r.in_routine_operation and r.scenario_id in ids for r in ev.robots
                ),
                "declared_robots_in_operation": sum(s.declared_robots_in_operation or 0 for s in counted),
                "high_value_applications": sum(ev.standing(sid).high_value for sid in ids),
                "stages": stages,
            }
        )
    return rows


def national_level(ev: Evidence, orgs: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The one row of ``--by national`` (`orgs`: the `org_level` rows, when already made)."""
    targets = ev.policy.targets
    orgs = org_level(ev) if orgs is None else orgs
    levels = dict.fromkeys(LEVELS, 0)
    for r in ev.robots:
        if r.autonomy_level in levels:
            levels[r.autonomy_level] += 1
    high_value = sum(o["high_value_applications"] for o in orgs)
    routine = sum(r.in_routine_operation for r in ev.robots)
    return [
        {
            "robots_in_routine_operation": routine,
            "target_robots": targets["robots_in_routine_operation"],
            "high_value_applications": high_value,
            "target_high_value_applications": targets["high_value_applications_more_than"],
            "targets_met": {
                "robots": routine >= targets["robots_in_routine_operation"],
                "high_value_applications": high_value > targets["high_value_applications_more_than"],
            },
            "target_date": targets["date"].isoformat(),
            "declared_robots_in_operation": sum(o["declared_robots_in_operation"] for o in orgs),
            "autonomy_levels": levels,
            "operating_hours": round(sum(r.operating_hours for r in ev.robots), 3),
            "recordings": ev.recordings,
            "flagged_recordings": ev.flagged_recordings,
        }
    ]


LEVEL_ROWS = {
    "robot": robot_level,
    "scenario": scenario_level,
    "province": org_level,
    "national": national_level,
}


def metrics(engine: Engine, policy: Policy, as_of: date, by: str) -> dict[str, Any]:
    """The ``robotwork metrics --json`` document."""
    ev = gather(engine, policy, as_of)
    return {
        "as_of": as_of.isoformat(),
        "window": {"from": ev.window.start.isoformat(), "to": ev.window.end.isoformat()},
        "by": by,
        "rows": LEVEL_ROWS[by](ev),
    }
