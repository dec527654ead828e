"""The compliance checklist of a province or central SOE: built once, for its page, its JSON
twin, the API and its progress report.

The standing itself (`robotwork.compliance`) decides; this lays its rules out one line each,
with the figure, the target or the deadline, and the dates the organization submitted on.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.compliance import LATE, NOT_DUE, ON_TIME, ComplianceReport, OrgCompliance, compute_compliance
from robotwork.policy import Policy
from robotwork.read.models import ReadModel
from robotwork.registry.models import Submission
from robotwork.registry.template import SUBMISSION_KINDS


class Deadline(ReadModel):
    """The next deadline of the plan and the days left to it."""

    kind: str
    date: date
    days_left: int


class ComplianceView(ReadModel):
    """The ``robotwork compliance --json`` document (`ComplianceReport.to_json`): every
    nominator's standing, the summary counts, the national figures and the next deadline."""

    as_of: date
    policy: dict[str, str]
    organizations: list[OrgCompliance]
    summary: dict[str, int]
    national: dict[str, Any]
    next_deadline: Deadline | None


class CheckItem(ReadModel):
    """One rule of compliance: what is there, what is required (a count or a deadline), the verdict."""

    rule: str  # scenarios | domains | implementation_plan | progress_report
    met: bool
    value: int | list[str] | str
    status: str  # met | short | on_time | late | missing | not_due
    target: int | None = None
    due: date | None = None
    submitted: list[date] = []


def compliance(engine: Engine, policy: Policy, as_of: date, org: str | None = None) -> ComplianceReport:
    """Every province's and central SOE's standing (or `org`'s; `UnknownRecord` if none)."""
    return compute_compliance(engine, policy, as_of, org)


def submitted_on(engine: Engine, code: str, as_of: date) -> dict[str, list[date]]:
    """The dates `code` submitted each document on, up to `as_of`, oldest first."""
    dates: dict[str, list[date]] = defaultdict(list)
    query = select(Submission).where(Submission.org_code == code, Submission.submitted_on <= as_of)
    with Session(engine) as session:
        for sub in session.scalars(query.order_by(Submission.submitted_on)):
            dates[sub.kind].append(sub.submitted_on)
    return dict(dates)


def checklist(standing: OrgCompliance, policy: Policy, submitted: dict[str, list[date]]) -> list[CheckItem]:
    """The rules of the plan, one line each: the quota's two counts, then each document."""
    quota = policy.quotas[standing.kind]
    scenarios_met = standing.scenarios_counted >= quota.min_scenarios
    domains_met = len(standing.domains_covered) >= quota.min_domains
    items = [
        CheckItem(
            rule="scenarios",
            met=scenarios_met,
            value=standing.scenarios_counted,
            status="met" if scenarios_met else "short",
            target=quota.min_scenarios,
        ),
        CheckItem(
            rule="domains",
            met=domains_met,
            value=list(standing.domains_covered),
            status="met" if domains_met else "short",
            target=quota.min_domains,
        ),
    ]
    for kind in SUBMISSION_KINDS:
        status = getattr(standing, kind)
        items.append(
            CheckItem(
                rule=kind,
                met=status in (ON_TIME, LATE, NOT_DUE),
                value=status,
                status=status,
                due=policy.deadlines[kind],
                submitted=submitted.get(kind, []),
            )
        )
    return items
