"""Who may write what: an officer writes only for their own organization, a consortium member
uploads only for their consortium's robots, a device only for its own robot.

Shared by the upload pages and the REST API, so both refuse the same things. The importer's
own checks (references, values) run after these; these only decide whose rows they are.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.accounts import Principal
from robotwork.registry.checks import Problem
from robotwork.registry.models import Consortium, Deployment, Organization, Scenario, Site
from robotwork.registry.sources import RawDocument, RawRow

OFFICER_ROLES = ("province", "central_soe")
_GOVERNING_KINDS = ("ministry", "province", "central_soe")


def may_import(principal: Principal) -> bool:
    """Province and central SOE officers import nomination workbooks (for their organization)."""
    return principal.kind == "user" and principal.role in OFFICER_ROLES and bool(principal.org_code)


def _text(row: RawRow, column: str) -> str:
    value = row.cells.get(column)
    return "" if value is None else str(value).strip()


class _Owners:
    """What the registry already says about whose records the workbook's keys are."""

    def __init__(self, session: Session, doc: RawDocument) -> None:
        self.registered = {s.scenario_id: s.nominated_by for s in session.scalars(select(Scenario))}
        self.scenario = dict(self.registered)  # and the workbook's new scenarios
        for row in doc.sheets.get("scenarios", []):
            self.scenario.setdefault(_text(row, "scenario_id"), _text(row, "nominated_by"))
        self.site = {s.site_id: s.province for s in session.scalars(select(Site))}
        self.org_kind = {o.code: o.kind for o in session.scalars(select(Organization))}


def _scenarios(row: RawRow, own: str, owners: _Owners) -> Problem | None:
    by, key = _text(row, "nominated_by"), _text(row, "scenario_id")
    if by != own:
        return Problem("scenarios", row.number, "nominated_by", f"nominated by {by!r}, not by {own}")
    if owners.registered.get(key, own) != own:
        return Problem(
            "scenarios", row.number, "scenario_id", f"{key} was nominated by {owners.registered[key]}"
        )
    return None


def _sites(row: RawRow, own: str, owners: _Owners, kind: str) -> Problem | None:
    if kind != "province":
        return None  # a central SOE works in every province
    where, before = _text(row, "province"), owners.site.get(_text(row, "site_id"), own)
    if where != own or before != own:
        return Problem(
            "sites", row.number, "province", f"site in {where if where != own else before}, not in {own}"
        )
    return None


def _submissions(row: RawRow, own: str) -> Problem | None:
    org = _text(row, "org_code")
    return None if org == own else Problem("submissions", row.number, "org_code", f"{org!r} is not {own}")


def _organizations(row: RawRow, own: str, owners: _Owners) -> Problem | None:
    code = _text(row, "code")
    kind = owners.org_kind.get(code) or _text(row, "kind")
    if code != own and kind in _GOVERNING_KINDS:
        return Problem("organizations", row.number, "code", f"{code} is a {kind}, not {own}")
    return None


def _deployments(row: RawRow, own: str, owners: _Owners) -> Problem | None:
    scenario = _text(row, "scenario_id")
    by = owners.scenario.get(scenario, own)
    if by != own:
        return Problem(
            "deployments", row.number, "scenario_id", f"{scenario} is nominated by {by}, not {own}"
        )
    return None


def foreign_rows(engine: Engine, doc: RawDocument, officer: Principal) -> list[Problem]:
    """Rows of the workbook that touch another organization than the officer's: scenarios
    nominated by (or already belonging to) another, submissions of another, sites in another
    province (province officers), rows of another governing organization, deployments on another's
    scenarios. Any such row makes the whole upload forbidden."""
    own, kind = str(officer.org_code), str(officer.role)
    with Session(engine) as session:
        owners = _Owners(session, doc)
    rules: dict[str, Callable[[RawRow], Any]] = {
        "scenarios": lambda r: _scenarios(r, own, owners),
        "sites": lambda r: _sites(r, own, owners, kind),
        "submissions": lambda r: _submissions(r, own),
        "organizations": lambda r: _organizations(r, own, owners),
        "deployments": lambda r: _deployments(r, own, owners),
    }
    found = [rules[sheet](row) for sheet, rows in doc.sheets.items() if sheet in rules for row in rows]
    return [p for p in found if p is not None]


def consortium_robots(engine: Engine, consortium_id: str) -> set[str]:
    """Serials of robots deployed (ever) on the consortium's scenarios."""
    with Session(engine) as session:
        consortium = session.get(Consortium, consortium_id)
        if consortium is None:
            return set()
        query = select(Deployment.robot_serial).where(
            Deployment.scenario_id.in_(list(consortium.scenario_ids))
        )
        return set(session.scalars(query))


def may_upload_recording(engine: Engine, principal: Principal, serial: str | None) -> bool:
    """A device uploads for its own robot; a consortium member for its consortium's robots."""
    if not serial:
        return False
    if principal.kind == "device":
        return principal.robot_serial == serial
    if principal.role == "consortium" and principal.consortium_id:
        return serial in consortium_robots(engine, principal.consortium_id)
    return False
