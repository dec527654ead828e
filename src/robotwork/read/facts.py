"""The plan's facts from the policy in force, each beside today's verified standing.

Quotas, deadlines (with the days left or past), the national targets, and the rollout doctrine
("verify one, deploy a batch, drive a region"): the numbers come from the policy file and the
standing from the compliance report and the stored organization rows, the same reads as the
national page and the lists that every figure here links to.
"""

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import Engine

from robotwork.compliance import ComplianceReport, OrgCompliance
from robotwork.evidence.ladder import STAGES
from robotwork.evidence.metrics import gather, org_level
from robotwork.policy import Policy
from robotwork.read.compliance import compliance
from robotwork.read.models import ReadModel

_SUBMITTED = ("on_time", "late")


class QuotaFact(ReadModel):
    """A kind of nominator's quota and how many of them meet it."""

    kind: str
    min_scenarios: int
    min_domains: int
    organizations: int
    quota_met: int
    compliant: int


class DeadlineFact(ReadModel):
    """A document's deadline, the days left (negative: past) and who has submitted it."""

    key: str
    date: date
    days_left: int
    organizations: int
    submitted: int
    late: int
    missing: int


class DoctrineRung(ReadModel):
    """A rung of the ladder: its rule from the policy and the counted scenarios standing on it."""

    stage: str
    rule: dict[str, Any]
    scenarios: int


class FactsView(ReadModel):
    """The facts page (and the national page's facts panel)."""

    as_of: date
    policy: dict[str, str]
    quotas: list[QuotaFact]
    deadlines: list[DeadlineFact]
    targets: dict[str, Any]
    doctrine: list[DoctrineRung]
    high_value: dict[str, Any]
    counted_scenarios: int


def _deadline(key: str, due: date, as_of: date, orgs: list[OrgCompliance]) -> DeadlineFact:
    statuses = Counter(str(getattr(o, key)) for o in orgs)
    return DeadlineFact(
        key=key,
        date=due,
        days_left=(due - as_of).days,
        organizations=len(orgs),
        submitted=sum(statuses[s] for s in _SUBMITTED),
        late=statuses["late"],
        missing=statuses["missing"],
    )


def counted_stages(engine: Engine, policy: Policy, as_of: date) -> Counter[str]:
    """Scenarios that count toward a quota, by their rung on the ladder: summed from the stored
    organization rows (each holds its counted scenarios by stage), not from 2,000 scenario rows."""
    stages: Counter[str] = Counter()
    for row in org_level(gather(engine, policy, as_of)):
        stages.update({str(stage): n for stage, n in row["stages"].items()})
    return stages


def facts(engine: Engine, policy: Policy, as_of: date, report: ComplianceReport | None = None) -> FactsView:
    """Quotas, deadlines, targets and the doctrine from `policy`, with the standing on `as_of`;
    the national overview hands in its compliance `report` so it is computed once."""
    report = report or compliance(engine, policy, as_of)
    figures = report.national
    orgs = report.organizations
    nominators = [o for o in orgs if o.scenarios_counted] or orgs
    quotas = []
    for kind in ("province", "central_soe"):
        rows = [o for o in orgs if o.kind == kind]
        quota = policy.quotas[kind]
        quotas.append(
            QuotaFact(
                kind=kind,
                min_scenarios=quota.min_scenarios,
                min_domains=quota.min_domains,
                organizations=len(rows),
                quota_met=sum(r.quota_met for r in rows),
                compliant=sum(r.compliant for r in rows),
            )
        )
    stages = counted_stages(engine, policy, as_of)
    target_date = policy.targets["date"]
    return FactsView(
        as_of=as_of,
        policy={"name": policy.name, "version": policy.version},
        quotas=quotas,
        deadlines=[
            _deadline(key, policy.deadlines[key], as_of, nominators)
            for key in ("implementation_plan", "progress_report")
        ],
        targets={
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
        doctrine=[
            DoctrineRung(stage=stage, rule=dict(policy.stages.get(stage, {})), scenarios=stages[stage])
            for stage in STAGES
        ],
        high_value=dict(policy.high_value),
        counted_scenarios=sum(stages.values()),
    )
