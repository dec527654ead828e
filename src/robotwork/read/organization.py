"""One province or central SOE: its compliance checklist, scenarios, consortia, robots.

The checklist is `compute_compliance` for the one organization laid out by `read.compliance`;
the scenario and robot figures are `scenario_level` / `org_level` rows of the same as-of date,
so they equal the CLI's and the progress report's.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Engine

from robotwork.access import ReadScope
from robotwork.compliance import OrgCompliance
from robotwork.evidence.ladder import STAGES
from robotwork.evidence.metrics import gather, org_level, scenario_level
from robotwork.forecast import program_forecast
from robotwork.live.view import org_alerts
from robotwork.policy import Policy
from robotwork.read.compliance import CheckItem, checklist, compliance, submitted_on
from robotwork.read.consortium import ConsortiumCard, consortia
from robotwork.read.models import OrgName, ReadModel


class OrganizationView(ReadModel):
    """The organization page: its standing and checklist, figures, scenarios (counted marked),
    counted scenarios by domain and stage, consortia, live alerts and the forecast."""

    as_of: date
    org: OrgName
    compliance: OrgCompliance
    checklist: list[CheckItem]
    figures: dict[str, Any]  # the `org_level` row of ``robotwork metrics --by province``
    scenarios: list[dict[str, Any]]  # `scenario_level` rows with ``counted``
    by_domain_and_stage: dict[str, dict[str, int]]
    consortia: list[ConsortiumCard]
    live_alerts: list[dict[str, Any]]
    forecast: dict[str, Any]


def domain_stage_matrix(policy: Policy, scenarios: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """Scenarios (domain, stage) counted by domain, then by stage (every domain and stage
    present, zeros kept): the one matrix of the organization page and the progress reports."""
    table = {d: dict.fromkeys(STAGES, 0) for d in policy.domains}
    for domain, stage in scenarios:
        table.setdefault(domain, dict.fromkeys(STAGES, 0))[stage] += 1
    return table


def organization(
    engine: Engine, policy: Policy, as_of: date, code: str, scope: ReadScope
) -> OrganizationView:
    """The organization's page data (figures for everyone, live alerts of the robots in the
    reader's `scope`); `UnknownRecord` when `code` is not a nominator."""
    [standing] = compliance(engine, policy, as_of, code).organizations
    ev = gather(engine, policy, as_of)
    org = next(o for o in ev.orgs if o.code == code)
    counted = {s.scenario_id for s in ev.counted(org)}
    scenarios = [
        dict(r, counted=r["scenario_id"] in counted) for r in scenario_level(ev) if r["nominated_by"] == code
    ]
    ids = [s["scenario_id"] for s in scenarios]
    return OrganizationView(
        as_of=as_of,
        org=OrgName(code=org.code, name=org.name, name_zh=org.name_zh, kind=org.kind),
        compliance=standing,
        checklist=checklist(standing, policy, submitted_on(engine, code, as_of)),
        figures=next(r for r in org_level(ev) if r["code"] == code),
        scenarios=scenarios,
        by_domain_and_stage=domain_stage_matrix(
            policy, ((s["domain"], s["stage"]) for s in scenarios if s["counted"])
        ),
        consortia=consortia(engine, ids),
        live_alerts=scope.robot_rows(org_alerts(engine, ids)),
        forecast=program_forecast(engine, policy, as_of),
    )
