"""The plan's facts from the policy in force, each beside today's verified standing.

Quotas, deadlines (with the days left or past), the national targets, and the rollout doctrine
("verify one, deploy a batch, drive a region"): the numbers come from the policy file and the
standing from `national_view` and `scenario_list`, the same reads as the national page and the
lists that every figure here links to.
"""

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import Engine

from robotwork.evidence.ladder import STAGES
from robotwork.policy import Policy
from robotwork.web.views.lists import scenario_list
from robotwork.web.views.national import national_view

_SUBMITTED = ("on_time", "late")


def _deadline(key: str, due: date, as_of: date, orgs: list[dict[str, Any]]) -> dict[str, Any]:
    statuses = Counter(str(o[key]) for o in orgs)
    return {
        "key": key,
        "date": due.isoformat(),
        "days_left": (due - as_of).days,
        "organizations": len(orgs),
        "submitted": sum(statuses[s] for s in _SUBMITTED),
        "late": statuses["late"],
        "missing": statuses["missing"],
    }


def facts_view(
    engine: Engine, policy: Policy, as_of: date, *, national: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Quotas, deadlines, targets and the doctrine from `policy`, with the standing on `as_of`;
    the national page hands in its `national_view` so the compliance is computed once."""
    national = national or national_view(engine, policy, as_of)
    figures = national["national"]
    orgs = national["provinces"] + national["central_soes"]
    nominators = [o for o in orgs if o["scenarios_counted"]] or orgs
    quotas = []
    for kind, rows in (("province", national["provinces"]), ("central_soe", national["central_soes"])):
        quota = policy.quotas[kind]
        quotas.append(
            {
                "kind": kind,
                "min_scenarios": quota.min_scenarios,
                "min_domains": quota.min_domains,
                "organizations": len(rows),
                "quota_met": sum(bool(r["quota_met"]) for r in rows),
                "compliant": sum(bool(r["compliant"]) for r in rows),
            }
        )
    scenarios = scenario_list(engine, policy, as_of, counted=True)["rows"]
    stages = Counter(str(r["stage"]) for r in scenarios)
    target_date = policy.targets["date"]
    return {
        "as_of": as_of.isoformat(),
        "policy": {"name": policy.name, "version": policy.version},
        "quotas": quotas,
        "deadlines": [
            _deadline(key, policy.deadlines[key], as_of, nominators)
            for key in ("implementation_plan", "progress_report")
        ],
        "targets": {
            "date": target_date.isoformat(),
            "days_left": (target_date - as_of).days,
            "robots": {
                "target": figures["target_robots"],
                "verified": figures["robots_in_routine_operation"],
                "declared": figures["declared_robots_in_operation"],
                "met": figures["targets_met"]["robots"],
            },
            "high_value_applications": {
                "target": figures["target_high_value_applications"],
                "verified": figures["high_value_applications"],
                "met": figures["targets_met"]["high_value_applications"],
            },
        },
        "doctrine": [
            {"stage": stage, "rule": dict(policy.stages.get(stage, {})), "scenarios": stages[stage]}
            for stage in STAGES
        ],
        "high_value": dict(policy.high_value),
        "counted_scenarios": len(scenarios),
    }
