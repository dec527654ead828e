"""Whose rows a write touches: the ownership rules behind `own` in the write matrix.

An officer's workbook is checked row by row inside the import's own transaction (so the answer
holds for what is written): every row that would create or change a record must be the
officer's by the rules of `rules.WRITES`; a row that changes nothing is not a write and passes.
Ownership follows the scenarios: a scenario belongs to its nominator, and a site, robot,
consortium or organization to the nominators of the scenarios that reach it. A record no
scenario reaches belongs to the organization of the user who created it.
"""

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.access.reads import consortium_robots
from robotwork.access.rules import Reach, reach
from robotwork.accounts import Principal
from robotwork.registry.checks import GoodRow, Problem
from robotwork.registry.importer import Guard, jsonable
from robotwork.registry.models import (
    Change,
    Consortium,
    ConsortiumMember,
    Deployment,
    Organization,
    Robot,
    Scenario,
    Site,
    User,
)
from robotwork.registry.template import SHEETS_BY_NAME, Sheet

_GOVERNING_KINDS = ("ministry", "province", "central_soe")


class _Owners:
    """Who governs each record the registry holds: the nominators of the scenarios reaching it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.scenario = {s.scenario_id: s.nominated_by for s in session.scalars(select(Scenario))}
        self.site_province = {s.site_id: s.province for s in session.scalars(select(Site))}
        self.org_kind = {o.code: o.kind for o in session.scalars(select(Organization))}
        self.site: dict[str, set[str]] = defaultdict(set)
        self.robot: dict[str, set[str]] = defaultdict(set)
        self.consortium: dict[str, set[str]] = defaultdict(set)
        self.org: dict[str, set[str]] = defaultdict(set)
        for s in session.scalars(select(Scenario)):
            self.site[s.site_id].add(s.nominated_by)
            self.org[s.user_org].add(s.nominated_by)
        for serial, scenario_id, site_id in session.execute(
            select(Deployment.robot_serial, Deployment.scenario_id, Deployment.site_id)
        ):
            self.robot[serial].add(self.scenario[scenario_id])
            self.site[site_id].add(self.scenario[scenario_id])
        for c in session.scalars(select(Consortium)):
            self.consortium[c.consortium_id] |= {
                self.scenario[s] for s in c.scenario_ids if s in self.scenario
            }
        for consortium_id, code in session.execute(
            select(ConsortiumMember.consortium_id, ConsortiumMember.org_code)
        ):
            self.org[code] |= self.consortium[consortium_id]
        for site in session.scalars(select(Site)):
            self.org[site.user_org] |= self.site[site.site_id]
        self.robot_serials = set(session.scalars(select(Robot.serial)))
        self.consortia = set(session.scalars(select(Consortium.consortium_id)))
        for robot in session.scalars(select(Robot)):
            for maker in (robot.manufacturer, robot.owner_org):
                if maker:
                    self.org[maker] |= self.robot[robot.serial]

    def creator(self, entity: str, key: str) -> str | None:
        """The organization of the user whose import created the record (ownerless records)."""
        query = (
            select(User.org_code)
            .join(Change, Change.actor == User.username)
            .where(Change.entity == entity, Change.record_key == key, Change.action == "create")
            .order_by(Change.id)
            .limit(1)
        )
        return self.session.scalar(query)


def _owner_text(owners: set[str]) -> str:
    return ", ".join(sorted(owners)) if owners else "the ministry"


class _Check:
    """The rules for one officer over one workbook's rows that write."""

    def __init__(self, owners: _Owners, principal: Principal, good: dict[str, list[GoodRow]]) -> None:
        self.owners, self.own, self.kind = owners, str(principal.org_code), str(principal.role)
        self.new_scenarios = {
            str(r.values["scenario_id"]): str(r.values["nominated_by"]) for r in good.get("scenarios", [])
        }
        registered = {
            "sites": owners.site_province,
            "robots": owners.robot_serials,
            "consortia": owners.consortia,
        }
        self.new = {  # records the workbook creates (not in the registry yet)
            name: {str(r.values[SHEETS_BY_NAME[name].key[0]]) for r in good.get(name, [])}
            - set(registered[name])
            for name in registered
        }
        self.problems: list[Problem] = []

    def fail(self, sheet: str, row: GoodRow, column: str, message: str) -> None:
        self.problems.append(Problem(sheet, row.number, column, message))

    def holds(self, entity: str, key: str, owners: set[str]) -> bool:
        """Whether an existing record is the officer's: every owner is it, or (no owner) it created it."""
        return owners == {self.own} if owners else self.owners.creator(entity, key) == self.own

    def site_usable(self, site_id: str) -> str | None:
        """Why a row may not name this site (None when it may)."""
        province = self.owners.site_province.get(site_id)
        if self.kind == "province" and province is not None and province != self.own:
            return f"site {site_id} is in {province}, not in {self.own}"
        if site_id in self.owners.site_province and site_id not in self.new["sites"]:
            owners = self.owners.site[site_id]
            if not self.holds("sites", site_id, owners):
                return f"site {site_id} belongs to {_owner_text(owners)}, not to {self.own}"
        return None

    def scenario_owner(self, scenario_id: str) -> str | None:
        return self.owners.scenario.get(scenario_id) or self.new_scenarios.get(scenario_id)

    def organizations(self, row: GoodRow, existing: bool) -> None:
        code = str(row.values["code"])
        kind = self.owners.org_kind.get(code) or str(row.values["kind"])
        if kind in _GOVERNING_KINDS:
            self.fail("organizations", row, "code", f"{code} is a {kind}: only the ministry changes it")
        elif existing and not self.holds("organizations", code, self.owners.org[code]):
            owners = _owner_text(self.owners.org[code])
            self.fail("organizations", row, "code", f"{code} belongs to {owners}, not to {self.own}")

    def sites(self, row: GoodRow, existing: bool) -> None:
        site_id, province = str(row.values["site_id"]), str(row.values["province"])
        if self.kind == "province" and province != self.own:
            self.fail("sites", row, "province", f"site {site_id} in {province}, not in {self.own}")
        elif existing and (why := self.site_usable(site_id)):
            self.fail("sites", row, "site_id", why)

    def scenarios(self, row: GoodRow, existing: bool) -> None:
        scenario_id, by = str(row.values["scenario_id"]), str(row.values["nominated_by"])
        before = self.owners.scenario.get(scenario_id, self.own)
        if by != self.own:
            self.fail("scenarios", row, "nominated_by", f"nominated by {by}, not by {self.own}")
        elif before != self.own:
            self.fail(
                "scenarios", row, "scenario_id", f"{scenario_id} belongs to {before}, not to {self.own}"
            )
        elif why := self.site_usable(str(row.values["site_id"])):
            self.fail("scenarios", row, "site_id", why)

    def consortia(self, row: GoodRow, existing: bool) -> None:
        consortium_id = str(row.values["consortium_id"])
        owners = self.owners.consortium[consortium_id]
        if existing and not self.holds("consortia", consortium_id, owners):
            self.fail("consortia", row, "consortium_id", f"{consortium_id} belongs to {_owner_text(owners)}")
            return
        listed = row.values.get("scenario_ids") or []
        for scenario_id in listed if isinstance(listed, list) else []:
            by = self.scenario_owner(str(scenario_id))
            if by not in (None, self.own):  # an unknown scenario is a reference problem, reported apart
                self.fail(
                    "consortia", row, "scenario_ids", f"{scenario_id} belongs to {by}, not to {self.own}"
                )
                return

    def consortium_members(self, row: GoodRow, existing: bool) -> None:
        consortium_id = str(row.values["consortium_id"])
        if consortium_id in self.new["consortia"]:
            return  # the consortium's own row is checked (and must be the officer's)
        owners = self.owners.consortium[consortium_id]
        if not self.holds("consortia", consortium_id, owners):
            self.fail(
                "consortium_members",
                row,
                "consortium_id",
                f"{consortium_id} belongs to {_owner_text(owners)}",
            )

    def robots(self, row: GoodRow, existing: bool) -> None:
        serial = str(row.values["serial"])
        if existing and not self.holds("robots", serial, self.owners.robot[serial]):
            self.fail(
                "robots", row, "serial", f"robot {serial} belongs to {_owner_text(self.owners.robot[serial])}"
            )

    def deployments(self, row: GoodRow, existing: bool) -> None:
        scenario_id, serial = str(row.values["scenario_id"]), str(row.values["robot_serial"])
        by = self.scenario_owner(scenario_id)
        owners = self.owners.robot[serial]
        if by not in (None, self.own):
            self.fail("deployments", row, "scenario_id", f"{scenario_id} belongs to {by}, not to {self.own}")
        elif serial not in self.new["robots"] and not self.holds("robots", serial, owners):
            self.fail("deployments", row, "robot_serial", f"robot {serial} belongs to {_owner_text(owners)}")
        elif why := self.site_usable(str(row.values["site_id"])):
            self.fail("deployments", row, "site_id", why)

    def submissions(self, row: GoodRow, existing: bool) -> None:
        org = str(row.values["org_code"])
        if org != self.own:
            self.fail("submissions", row, "org_code", f"{org} is not {self.own}")


def _writes(session: Session, sheet: Sheet, row: GoodRow) -> tuple[bool, bool]:
    """Whether the row writes (creates or changes a record), and whether the record exists."""
    obj = session.get(sheet.model, tuple(row.values[k] for k in sheet.key))
    if obj is None:
        return True, False
    changed = any(jsonable(getattr(obj, k)) != jsonable(v) for k, v in row.values.items())
    return changed, True


def import_guard(principal: Principal) -> Guard:
    """The importer's guard for `principal`: the rows it may not write, each named with its owner.

    The ministry may write every row; a role that may not import at all is refused before this.
    """

    def guard(session: Session, good: dict[str, list[GoodRow]]) -> list[Problem]:
        if all(reach(principal, f"import.{name}") is Reach.ALL for name in good):
            return []
        check = _Check(_Owners(session), principal, good)
        for name, rows in good.items():
            if reach(principal, f"import.{name}") is Reach.NONE:
                check.problems += [Problem(name, r.number, None, "not yours to write") for r in rows]
                continue
            rule: Callable[[GoodRow, bool], None] = getattr(check, name)
            for row in rows:
                writes, existing = _writes(session, SHEETS_BY_NAME[name], row)
                if writes:
                    rule(row, existing)
        return check.problems

    return guard


def may_import(principal: Principal) -> bool:
    """Whether the principal imports workbooks at all (the rows are checked by `import_guard`)."""
    return (
        principal.kind == "user"
        and reach(principal, "import.scenarios") is not Reach.NONE
        and (principal.role == "ministry" or bool(principal.org_code))
    )


def may_submit(principal: Principal, org_code: str) -> bool:
    """Whether the principal records a submission of `org_code`."""
    allowed = reach(principal, "submission")
    return allowed is Reach.ALL or (allowed is Reach.OWN and principal.org_code == org_code)


def may_upload_recording(engine: Engine, principal: Principal, serial: str | None) -> bool:
    """A device uploads for its own robot; a consortium member for its consortium's robots; the
    ministry for any robot."""
    allowed = reach(principal, "recording.upload")
    if not serial or allowed is Reach.NONE:
        return False
    if allowed is Reach.ALL:
        return True
    if principal.kind == "device":
        return principal.robot_serial == serial
    return bool(principal.consortium_id) and serial in consortium_robots(engine, str(principal.consortium_id))


def may_clear_flags(principal: Principal) -> bool:
    """Whether the principal clears integrity flags."""
    return reach(principal, "flag.clear") is Reach.ALL
