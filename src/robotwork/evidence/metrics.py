"""`robotwork metrics`: the figures by robot, scenario, nominating organization and nation.

One function per level, all from one `Evidence` of the stored figures (kept current by
`robotwork.evidence.standing`), so pages, reports, compliance and the CLI read the same numbers
and none of them recomputes a figure: a view holds the robot rows, the scenario standings, the
organization rows and the national totals of one policy as of one date.
"""

from collections import OrderedDict
from datetime import date
from functools import cached_property
from threading import Lock
from typing import Any

from sqlalchemy import Engine, select

from robotwork.evidence import figure_tables as ft
from robotwork.evidence.figures import (
    LEVELS,
    RegistrySnapshot,
    read_robot_rows,
    read_scenario_rows,
    registry_snapshot,
)
from robotwork.evidence.ladder import Standing, stand
from robotwork.evidence.rollup import RobotRow, Window, public
from robotwork.evidence.shortfall import Shortfall
from robotwork.evidence.standing import DAYS_VIEW, ensure_view, policy_key
from robotwork.policy import Policy
from robotwork.registry.models import Organization, Scenario, Site

__all__ = [
    "LEVELS",
    "Evidence",
    "gather",
    "metrics",
    "national_level",
    "org_level",
    "robot_level",
    "scenario_level",
]


class Evidence:
    """The stored figures of one policy as of one date, read on demand and then kept."""

    def __init__(self, engine: Engine, policy: Policy, as_of: date, view: str, registry: RegistrySnapshot):
        self.engine, self.policy, self.as_of, self.view = engine, policy, as_of, view
        self.window = Window.ending(as_of, policy)
        self.registry = registry
        self.scenarios: list[Scenario] = registry.scenarios
        self.sites: dict[str, Site] = registry.sites
        self.orgs: list[Organization] = registry.orgs

    @cached_property
    def robots(self) -> list[RobotRow]:
        """Every robot's row (the whole fleet: for the pages and reports that list it)."""
        with self.engine.connect() as conn:
            return read_robot_rows(conn, self.view)

    def robots_of(self, scenario_id: str) -> list[RobotRow]:
        """The rows of the robots placed on one scenario."""
        with self.engine.connect() as conn:
            return read_robot_rows(conn, self.view, scenario_id=scenario_id)

    def robot(self, serial: str) -> RobotRow | None:
        """One robot's row, None when the registry has no such robot."""
        with self.engine.connect() as conn:
            rows = read_robot_rows(conn, self.view, robot_serial=serial)
        return rows[0] if rows else None

    @cached_property
    def stored(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            views = dict(
                conn.execute(
                    select(ft.views.c.view, ft.views.c.summary).where(
                        ft.views.c.view.in_([self.view, DAYS_VIEW])
                    )
                ).all()
            )
        return {**views[self.view], "counts": views[DAYS_VIEW]}

    @cached_property
    def scenario_figures(self) -> dict[str, dict[str, Any]]:
        with self.engine.connect() as conn:
            return read_scenario_rows(conn, self.view)

    @cached_property
    def standings(self) -> dict[str, Standing]:
        """The standing of each scenario with robots."""
        return {
            sid: Standing(
                r["stage"],
                [Shortfall.load(m) for m in r["missing"]],
                r["success_rate"],
                bool(r["high_value"]),
            )
            for sid, r in self.scenario_figures.items()
        }

    def standing(self, scenario_id: str) -> Standing:
        """A scenario's standing; one without robots is `nominated` and lacks a verified robot."""
        return self.standings.get(scenario_id) or stand([], self.policy)

    def counted(self, org: Organization) -> list[Scenario]:
        """The organization's scenarios that count toward its quota as of the date."""
        return self.registry.counted(org, self.as_of)

    @property
    def recordings(self) -> int:
        """Recordings stored."""
        return int(self.stored["counts"]["recordings"])

    @property
    def flagged_recordings(self) -> int:
        """Recordings with an uncleared flag."""
        return int(self.stored["counts"]["flagged_recordings"])


_CACHE: OrderedDict[tuple[object, ...], Evidence] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = Lock()


def _cached(cache: OrderedDict[tuple[object, ...], Any], key: tuple[object, ...], make: Any) -> Any:
    with _LOCK:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = make()
    with _LOCK:
        cache[key] = value
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    return value


def gather(engine: Engine, policy: Policy, as_of: date) -> Evidence:
    """The figures of every level as of a date, from the stored view (made or brought up to date
    first when anything changed); the same object while nothing has, since a request often asks
    several times."""
    view, token = ensure_view(engine, policy, as_of)
    change = int(token[1])  # type: ignore[call-overload]
    base = (str(engine.url), id(engine))

    with engine.connect() as conn:
        snapshot = registry_snapshot(conn, change)
    key = (*base, policy_key(policy), as_of, *token)
    return _cached(_CACHE, key, lambda: Evidence(engine, policy, as_of, view, snapshot))


def robot_level(ev: Evidence) -> list[dict[str, Any]]:
    """Rows of ``--by robot``."""
    return [public(r) for r in ev.robots]


def scenario_level(ev: Evidence) -> list[dict[str, Any]]:
    """Rows of ``--by scenario``: every scenario nominated on or before the as-of date."""
    rows = []
    stored = ev.scenario_figures
    for s in ev.scenarios:
        if s.nominated_on > ev.as_of:
            continue
        standing = ev.standing(s.scenario_id)
        figures = stored.get(s.scenario_id, {})
        rows.append(
            {
                "scenario_id": s.scenario_id,
                "title": s.title,
                "nominated_by": s.nominated_by,
                "domain": s.domain,
                "status": s.status,
                "stage": standing.stage,
                "robots": figures.get("robots", 0),
                "robots_in_routine_operation": figures.get("robots_in_routine_operation", 0),
                "sites_in_routine_operation": figures.get("sites_in_routine_operation", 0),
                "cities": list(figures.get("cities", [])),
                "success_rate": None if standing.success_rate is None else round(standing.success_rate, 4),
                "high_value": standing.high_value,
                "missing_for_next_stage": standing.missing_for_next_stage,
                "shortfalls": [m.to_json() for m in standing.shortfalls],
                "declared_robots_in_operation": s.declared_robots_in_operation,
            }
        )
    return rows


def org_level(ev: Evidence) -> list[dict[str, Any]]:
    """Rows of ``--by province``: every province, then every central SOE, on counted scenarios."""
    return [dict(row, stages=dict(row["stages"])) for row in ev.stored["orgs"]]


def national_level(ev: Evidence, orgs: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The one row of ``--by national`` (`orgs`: the `org_level` rows, when already made)."""
    targets = ev.policy.targets
    orgs = org_level(ev) if orgs is None else orgs
    robots = ev.stored["robots"]
    levels = {level: int(robots["levels"].get(level, 0)) for level in LEVELS}
    high_value = sum(o["high_value_applications"] for o in orgs)
    routine = int(robots["routine"])
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
            "operating_hours": robots["operating_hours"],
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
