"""Compliance of each province and central SOE with the plan, as of a date.

"As of D" means only what was nominated or submitted on or before D counts. The rules (quotas,
deadlines) come from the policy; what counts as a real work scenario is in `counted_scenarios`.
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.errors import UnknownRecord
from robotwork.evidence.figures import RegistrySnapshot
from robotwork.evidence.metrics import gather, national_level, org_level
from robotwork.evidence.shortfall import Shortfall
from robotwork.policy import Policy
from robotwork.registry.models import Organization, Submission

ON_TIME, LATE, MISSING, NOT_DUE = "on_time", "late", "missing", "not_due"


@dataclass
class OrgCompliance:
    """One province's or central SOE's standing; field names are the JSON contract (the read
    models of `robotwork.read` carry it as it is); `shortfalls` say why it is not compliant."""

    code: str
    name: str
    name_zh: str | None
    kind: str
    scenarios_counted: int
    domains_covered: list[str]
    quota_met: bool
    implementation_plan: str
    progress_report: str
    declared_robots_in_operation: int
    verified_robots_in_routine_operation: int
    compliant: bool
    problems: list[str] = field(default_factory=list)  # `shortfalls` in English sentences
    shortfalls: list[Shortfall] = field(default_factory=list)

    def get(self, key: str, default: Any = None) -> Any:
        """A field by name, as on the dicts the page helpers (`Page.name`) also take."""
        return getattr(self, key, default)


@dataclass
class ComplianceReport:
    """Every nominating organization's standing and the summary counts."""

    as_of: date
    policy_name: str
    policy_version: str
    organizations: list[OrgCompliance]
    next_deadline: tuple[str, date] | None
    national: dict[str, Any]

    def summary(self) -> dict[str, int]:
        """Counts of provinces and central SOEs, and how many of each comply."""
        out: dict[str, int] = {}
        for kind, label in (("province", "provinces"), ("central_soe", "central_soes")):
            rows = [o for o in self.organizations if o.kind == kind]
            out[label] = len(rows)
            out[f"{label}_compliant"] = sum(o.compliant for o in rows)
        return out

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` document (keys are a public contract: add, never rename)."""
        return {
            "as_of": self.as_of.isoformat(),
            "policy": {"name": self.policy_name, "version": self.policy_version},
            "organizations": [asdict(o) for o in self.organizations],
            "summary": self.summary(),
            "national": self.national,
            "next_deadline": None
            if self.next_deadline is None
            else {
                "kind": self.next_deadline[0],
                "date": self.next_deadline[1].isoformat(),
                "days_left": (self.next_deadline[1] - self.as_of).days,
            },
        }


def submission_status(dates: list[date], deadline: date, as_of: date) -> str:
    """on_time / late by the first submission on or before `as_of`; else missing / not_due."""
    made = sorted(d for d in dates if d <= as_of)
    if made:
        return ON_TIME if made[0] <= deadline else LATE
    return MISSING if as_of > deadline else NOT_DUE


def _org_compliance(
    org: Organization,
    registry: RegistrySnapshot,
    submissions: dict[str, list[date]],
    policy: Policy,
    as_of: date,
    verified: int,
) -> OrgCompliance:
    quota = policy.quotas[org.kind]
    counted, duplicates = registry.counted_and_duplicates(org, as_of)
    domains = sorted({s.domain for s in counted})
    quota_met = len(counted) >= quota.min_scenarios and len(domains) >= quota.min_domains
    status = {
        kind: submission_status(submissions.get(kind, []), policy.deadlines[kind], as_of)
        for kind in ("implementation_plan", "progress_report")
    }
    shortfalls: list[Shortfall] = []
    if len(counted) < quota.min_scenarios:
        shortfalls.append(Shortfall("scenarios", len(counted), quota.min_scenarios, "scenarios"))
    if len(domains) < quota.min_domains:
        shortfalls.append(Shortfall("domains", len(domains), quota.min_domains, "domains"))
    if duplicates:
        shortfalls.append(Shortfall("duplicates", duplicates, 0, "nominations"))
    for kind in ("implementation_plan", "progress_report"):
        if status[kind] in (MISSING, LATE):
            due = policy.deadlines[kind].isoformat()
            shortfalls.append(Shortfall(f"{kind}.{status[kind]}", status[kind], due, "due_date"))
    return OrgCompliance(
        code=org.code,
        name=org.name,
        name_zh=org.name_zh,
        kind=org.kind,
        scenarios_counted=len(counted),
        domains_covered=domains,
        quota_met=quota_met,
        implementation_plan=status["implementation_plan"],
        progress_report=status["progress_report"],
        declared_robots_in_operation=sum(s.declared_robots_in_operation or 0 for s in counted),
        verified_robots_in_routine_operation=verified,
        compliant=quota_met and MISSING not in status.values(),
        problems=[p.english() for p in shortfalls],
        shortfalls=shortfalls,
    )


def next_deadline(policy: Policy, as_of: date) -> tuple[str, date] | None:
    """The first deadline on or after `as_of`, or None when all have passed."""
    ahead = sorted((d, k) for k, d in policy.deadlines.items() if d >= as_of)
    return (ahead[0][1], ahead[0][0]) if ahead else None


def compute_compliance(
    engine: Engine, policy: Policy, as_of: date, org_code: str | None = None
) -> ComplianceReport:
    """Every province and central SOE (or the one `org_code`), non-compliant first."""
    ev = gather(engine, policy, as_of)
    orgs = [o for o in ev.orgs if org_code is None or o.code == org_code]
    if org_code is not None and not orgs:
        raise UnknownRecord(
            f"{org_code}: not a province or central SOE in the registry", kind="org", key=org_code
        )
    subs: dict[str, dict[str, list[date]]] = {}
    with Session(engine) as session:
        for sub in session.scalars(select(Submission)):
            subs.setdefault(sub.org_code, {}).setdefault(sub.kind, []).append(sub.submitted_on)
    org_rows = org_level(ev)
    verified = {o["code"]: o["robots_in_routine_operation"] for o in org_rows}
    rows = [
        _org_compliance(o, ev.registry, subs.get(o.code, {}), policy, as_of, verified.get(o.code, 0))
        for o in orgs
    ]
    rows.sort(key=lambda r: (r.compliant, r.kind != "province", r.code))
    [national] = national_level(ev, org_rows)
    return ComplianceReport(as_of, policy.name, policy.version, rows, next_deadline(policy, as_of), national)
