"""One scenario on the ladder "verify one, deploy a batch, drive a region", its robots and sites.

The stage and what the next rung lacks (as `Shortfall` data) come from the scenario's
`Standing` (the rows of ``robotwork metrics --by scenario``); this module only lays the rungs
out one by one.
"""

from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.access import ReadScope
from robotwork.errors import UnknownRecord
from robotwork.evidence.ladder import STAGES
from robotwork.evidence.metrics import gather, robot_level, scenario_level
from robotwork.policy import Policy
from robotwork.read.consortium import ConsortiumCard, consortia
from robotwork.read.models import ReadModel, Shortfall
from robotwork.registry.models import Deployment, Organization, Scenario, Site


class Rung(ReadModel):
    """A rung of the ladder: met or not, its rule's thresholds (from the policy), and for the
    next rung above the scenario's stage what it still lacks."""

    stage: str
    met: bool
    next: bool
    rule: dict[str, Any]
    shortfalls: list[Shortfall]


class ScenarioView(ReadModel):
    """The scenario page: the nomination, its figures, the ladder, the robots in the reader's
    scope (`robots_hidden` counts the others), sites and consortia."""

    as_of: date
    scenario: dict[str, Any]
    figures: dict[str, Any] | None  # the `scenario_level` row
    stage: str
    high_value: bool
    ladder: list[Rung]
    robots: list[dict[str, Any]]  # `robot_level` rows
    robots_hidden: int
    sites: list[dict[str, Any]]
    consortia: list[ConsortiumCard]


def ladder(policy: Policy, stage: str, shortfalls: list[Shortfall]) -> list[Rung]:
    """Every rung of the ladder for a scenario on `stage` lacking `shortfalls` for the next."""
    reached = STAGES.index(stage)
    return [
        Rung(
            stage=name,
            met=i <= reached,
            next=i == reached + 1,
            rule=dict(policy.stages.get(name, {})),
            shortfalls=shortfalls if i == reached + 1 else [],
        )
        for i, name in enumerate(STAGES)
    ]


def scenario(engine: Engine, policy: Policy, as_of: date, scenario_id: str, scope: ReadScope) -> ScenarioView:
    """The scenario's page data, its robots those in the reader's `scope` (`robots_hidden`
    counts the others; its sites count every robot); `UnknownRecord` when it is not in the
    registry."""
    ev = gather(engine, policy, as_of)
    found = next((s for s in ev.scenarios if s.scenario_id == scenario_id), None)
    if found is None:
        raise UnknownRecord(
            f"scenario {scenario_id!r}: not in the registry", kind="scenario", key=scenario_id
        )
    row = next((r for r in scenario_level(ev) if r["scenario_id"] == scenario_id), None)
    standing = ev.standing(scenario_id)
    robots = [r for r in robot_level(ev) if r["scenario_id"] == scenario_id]
    visible = scope.robot_rows(robots)
    return ScenarioView(
        as_of=as_of,
        scenario=_registry_row(engine, found),
        figures=row,
        stage=standing.stage,
        high_value=standing.high_value,
        ladder=ladder(policy, standing.stage, standing.shortfalls),
        robots=visible,
        robots_hidden=len(robots) - len(visible),
        sites=_sites(engine, found, robots),
        consortia=consortia(engine, [scenario_id]),
    )


def _registry_row(engine: Engine, s: Scenario) -> dict[str, Any]:
    """What the nomination says, with the nominator's and user's names in both languages."""
    with Session(engine) as session:
        names = {
            o.code: {"code": o.code, "name": o.name, "name_zh": o.name_zh}
            for o in session.scalars(
                select(Organization).where(Organization.code.in_([s.nominated_by, s.user_org]))
            )
        }
    return {
        "scenario_id": s.scenario_id,
        "title": s.title,
        "domain": s.domain,
        "nominated_by": names.get(s.nominated_by, {"code": s.nominated_by}),
        "user_org": names.get(s.user_org, {"code": s.user_org}),
        "site_id": s.site_id,
        "tasks": list(s.tasks),
        "nominated_on": s.nominated_on.isoformat(),
        "status": s.status,
        "planned_robots": s.planned_robots,
        "declared_robots_in_operation": s.declared_robots_in_operation,
    }


def _sites(engine: Engine, s: Scenario, robots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The nomination's site and every site it is deployed at (a replication), with robot counts."""
    with Session(engine) as session:
        query = select(Deployment.site_id).where(Deployment.scenario_id == s.scenario_id)
        ids = set(session.scalars(query)) | {s.site_id}
        sites = list(session.scalars(select(Site).where(Site.site_id.in_(ids)).order_by(Site.site_id)))
    return [
        {
            "site_id": site.site_id,
            "name": site.name,
            "city": site.city,
            "province": site.province,
            "nominated": site.site_id == s.site_id,
            "robots": sum(r["site_id"] == site.site_id for r in robots),
            "robots_in_routine_operation": sum(
                r["site_id"] == site.site_id and r["in_routine_operation"] for r in robots
            ),
        }
        for site in sites
    ]
