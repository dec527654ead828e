"""One province or central SOE: its compliance checklist, scenarios, consortia, robots.

The checklist is `compute_compliance` for the one organization; the scenario and robot figures
are `scenario_level` / `org_level` rows of the same as-of date, so they equal the CLI's.
"""

from collections import defaultdict
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.compliance import compute_compliance
from robotwork.evidence.ladder import STAGES
from robotwork.evidence.metrics import gather, org_level, scenario_level
from robotwork.live.view import org_alerts
from robotwork.policy import Policy
from robotwork.registry.consortia import incomplete_consortia
from robotwork.registry.models import Consortium, ConsortiumMember, Organization, Submission
from robotwork.registry.template import MEMBER_ROLES, SUBMISSION_KINDS


def org_view(engine: Engine, policy: Policy, as_of: date, code: str) -> dict[str, Any]:
    """The organization's page data; `UnknownRecord` when `code` is not a nominator."""
    standing = asdict(compute_compliance(engine, policy, as_of, code).organizations[0])
    ev = gather(engine, policy, as_of)
    org = next(o for o in ev.orgs if o.code == code)
    counted = {s.scenario_id for s in ev.counted(org)}
    scenarios = [
        dict(r, counted=r["scenario_id"] in counted) for r in scenario_level(ev) if r["nominated_by"] == code
    ]
    figures = next(r for r in org_level(ev) if r["code"] == code)
    return {
        "as_of": as_of.isoformat(),
        "org": {"code": org.code, "name": org.name, "name_zh": org.name_zh, "kind": org.kind},
        "compliance": standing,
        "checklist": _checklist(engine, policy, standing, as_of),
        "figures": figures,
        "scenarios": scenarios,
        "by_domain_and_stage": _matrix(policy, [s for s in scenarios if s["counted"]]),
        "consortia": consortia_of(engine, [s["scenario_id"] for s in scenarios]),
        "live_alerts": org_alerts(engine, [s["scenario_id"] for s in scenarios]),
    }


def _checklist(engine: Engine, policy: Policy, standing: dict[str, Any], as_of: date) -> list[dict[str, Any]]:
    """The rules of compliance, one line each: met or not, the figure and the target."""
    quota = policy.quotas[standing["kind"]]
    with Session(engine) as session:
        dates: dict[str, list[str]] = defaultdict(list)
        for sub in session.scalars(select(Submission).where(Submission.org_code == standing["code"])):
            if sub.submitted_on <= as_of:
                dates[sub.kind].append(sub.submitted_on.isoformat())
    items: list[dict[str, Any]] = [
        {
            "rule": "scenarios",
            "met": standing["scenarios_counted"] >= quota.min_scenarios,
            "value": standing["scenarios_counted"],
            "target": quota.min_scenarios,
        },
        {
            "rule": "domains",
            "met": len(standing["domains_covered"]) >= quota.min_domains,
            "value": standing["domains_covered"],
            "target": quota.min_domains,
        },
    ]
    for kind in SUBMISSION_KINDS:
        items.append(
            {
                "rule": kind,
                "met": standing[kind] in ("on_time", "late", "not_due"),
                "value": standing[kind],
                "due": policy.deadlines[kind].isoformat(),
                "submitted": sorted(dates[kind]),
            }
        )
    return items


def _matrix(policy: Policy, scenarios: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Counted scenarios by domain, then by stage (every domain and stage present, zeros kept)."""
    table = {d: dict.fromkeys(STAGES, 0) for d in policy.domains}
    for s in scenarios:
        table.setdefault(s["domain"], dict.fromkeys(STAGES, 0))[s["stage"]] += 1
    return table


def consortia_of(engine: Engine, scenario_ids: list[str]) -> list[dict[str, Any]]:
    """Consortia working on any of the scenarios, members grouped by role, missing roles named."""
    wanted = set(scenario_ids)
    with Session(engine) as session:
        found = [
            c
            for c in session.scalars(select(Consortium).order_by(Consortium.consortium_id))
            if wanted & set(c.scenario_ids)
        ]
        ids = [c.consortium_id for c in found]
        missing = incomplete_consortia(session, ids)
        members: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        query = (
            select(ConsortiumMember, Organization)
            .join(Organization, Organization.code == ConsortiumMember.org_code)
            .where(ConsortiumMember.consortium_id.in_(ids))
            .order_by(ConsortiumMember.org_code)
        )
        for member, org in session.execute(query):
            members[member.consortium_id][member.role].append(
                {"code": org.code, "name": org.name, "name_zh": org.name_zh}
            )
        return [
            {
                "consortium_id": c.consortium_id,
                "name": c.name,
                "scenario_ids": list(c.scenario_ids),
                "members": {role: members[c.consortium_id].get(role, []) for role in MEMBER_ROLES},
                "missing_roles": missing.get(c.consortium_id, []),
            }
            for c in found
        ]
