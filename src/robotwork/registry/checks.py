"""Checking an import before anything is written: every cell parsed, every reference resolved.

A row is good only when all its cells parse and everything it names exists, either in the
registry already or in a good row of the same file. Sheets are checked in the template's order
so a bad organization makes the rows that name it bad too.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.registry import models, reference
from robotwork.registry.sources import RawDocument, RawRow
from robotwork.registry.template import DOMAIN, NOMINATOR_KINDS, SHEETS, Column, Sheet

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SERIAL = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Problem:
    """One reason a row was refused, located by sheet, row number and column."""

    sheet: str
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet} row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class GoodRow:
    """A row whose cells parsed and whose references resolve: ready to write."""

    number: int
    values: dict[str, object]
    notes: dict[str, str]


@dataclass
class Known:
    """What exists, in the registry or in the good rows so far: the targets references may name."""

    orgs: dict[str, str] = field(default_factory=dict)  # code -> kind
    sites: dict[str, str] = field(default_factory=dict)  # site_id -> province
    scenarios: set[str] = field(default_factory=set)
    consortia: set[str] = field(default_factory=set)
    robots: set[str] = field(default_factory=set)
    deployments: dict[tuple[str, str, date], date | None] = field(default_factory=dict)

    @classmethod
    def from_registry(cls, session: Session) -> "Known":
        """Load the keys the registry holds now."""
        d = models.Deployment
        return cls(
            orgs={
                c: k for c, k in session.execute(select(models.Organization.code, models.Organization.kind))
            },
            sites={s: p for s, p in session.execute(select(models.Site.site_id, models.Site.province))},
            scenarios=set(session.scalars(select(models.Scenario.scenario_id))),
            consortia=set(session.scalars(select(models.Consortium.consortium_id))),
            robots=set(session.scalars(select(models.Robot.serial))),
            deployments={
                (r, s, start): end
                for r, s, start, end in session.execute(
                    select(d.robot_serial, d.scenario_id, d.start_date, d.end_date)
                )
            },
        )


def _parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not _ISO_DATE.match(text):
        raise ValueError(f"date {text!r} is not YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"date {text!r} does not exist") from None


def _parse_int(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        number = value
    elif (
        isinstance(value, float)
        and value.is_integer()
        or isinstance(value, str)
        and re.fullmatch(r"\s*-?\d+\s*", value)
    ):
        number = int(value)
    else:
        raise ValueError(f"{value!r} is not a whole number")
    if number < 0:
        raise ValueError(f"{number} is negative")
    return number


def _parse_list(value: object) -> list[str]:
    items = value if isinstance(value, list) else str(value).split(";")
    return [str(item).strip() for item in items if str(item).strip()]


def _parse_cell(column: Column, value: object, domains: tuple[str, ...]) -> object:
    """A cell's typed value; `ValueError` carries the reason shown to the official."""
    if column.kind == "date":
        return _parse_date(value)
    if column.kind == "int":
        return _parse_int(value)
    if column.kind == "list":
        return _parse_list(value)
    text = str(value).strip()
    choices = domains if column.choices == DOMAIN else column.choices
    if isinstance(choices, tuple) and text not in choices:
        raise ValueError(f"{text!r} is not one of {', '.join(choices)}")
    return text


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str | list) and not value)


def parse_row(sheet: Sheet, raw: RawRow, domains: tuple[str, ...], problems: list[Problem]) -> GoodRow | None:
    """Parse one row's cells; columns absent from the file are left out (updates keep them)."""
    values: dict[str, object] = {}
    ok = True
    names = set(sheet.column_names)
    for column in sheet.columns:
        present = column.name in raw.cells
        value = raw.cells.get(column.name)
        if isinstance(value, str):
            value = value.strip()
        if _blank(value):
            if column.required:
                problems.append(Problem(sheet.name, raw.number, column.name, "required value missing"))
                ok = False
            elif present:
                values[column.name] = column.default
            continue
        try:
            values[column.name] = _parse_cell(column, value, domains)
        except ValueError as exc:
            problems.append(Problem(sheet.name, raw.number, column.name, str(exc)))
            ok = False
        if column.kind == "list" and column.required and values.get(column.name) == []:
            problems.append(Problem(sheet.name, raw.number, column.name, "required value missing"))
            ok = False
    notes = {k: str(v) for k, v in raw.cells.items() if k not in names and not _blank(v)}
    return GoodRow(raw.number, values, notes) if ok else None


class _RowCheck:
    """Collects the problems of one row against what is known."""

    def __init__(self, sheet: str, row: GoodRow, problems: list[Problem]) -> None:
        self.sheet, self.row, self.problems, self.ok = sheet, row, problems, True

    def fail(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.sheet, self.row.number, column, message))
        self.ok = False

    def exists(self, column: str, targets: set[str] | dict[str, str], what: str) -> None:
        value = self.row.values.get(column)
        if value is not None and value not in targets:
            self.fail(column, f"unknown {what} {value!r}")


def _check_organization(c: _RowCheck, known: Known) -> None:
    v = c.row.values
    provinces = reference.province_codes()
    if v.get("kind") == "province" and v["code"] not in provinces:
        c.fail("code", f"{v['code']!r} is not an ISO 3166-2:CN province code (CN-BJ, CN-GD ...)")
    if v.get("province") is not None and v["province"] not in provinces:
        c.fail("province", f"unknown province {v['province']!r}")
    if (
        v["code"] in known.orgs
        and known.orgs[v["code"]] in NOMINATOR_KINDS
        and v["kind"] != known.orgs[v["code"]]
    ):
        c.fail("kind", f"{v['code']} is a {known.orgs[v['code']]} and cannot change kind")


def _check_site(c: _RowCheck, known: Known) -> None:
    if c.row.values["province"] not in reference.province_codes():
        c.fail("province", f"unknown province {c.row.values['province']!r}")
    c.exists("user_org", known.orgs, "organization")


def _check_scenario(c: _RowCheck, known: Known) -> None:
    v = c.row.values
    nominator = str(v["nominated_by"])
    if nominator not in known.orgs:
        c.fail("nominated_by", f"unknown organization {nominator!r}")
    elif known.orgs[nominator] not in NOMINATOR_KINDS:
        c.fail("nominated_by", f"{nominator} is a {known.orgs[nominator]}, not a province or central SOE")
    c.exists("site_id", known.sites, "site")
    c.exists("user_org", known.orgs, "organization")
    site_province = known.sites.get(str(v["site_id"]))
    if known.orgs.get(nominator) == "province" and site_province and site_province != nominator:
        c.fail(
            "site_id",
            f"site {v['site_id']} lies in {site_province}, not in the nominating province {nominator}",
        )


def _check_consortium(c: _RowCheck, known: Known) -> None:
    ids = c.row.values.get("scenario_ids")
    for scenario in ids if isinstance(ids, list) else []:
        if scenario not in known.scenarios:
            c.fail("scenario_ids", f"unknown scenario {scenario!r}")


def _check_member(c: _RowCheck, known: Known) -> None:
    c.exists("consortium_id", known.consortia, "consortium")
    c.exists("org_code", known.orgs, "organization")


def _check_robot(c: _RowCheck, known: Known) -> None:
    if not _SERIAL.match(str(c.row.values["serial"])):
        c.fail(
            "serial",
            "a serial may hold only letters, digits, '.', '_' and '-' (it names "
            "the robot's folder in the telemetry store)",
        )
    c.exists("manufacturer", known.orgs, "organization")
    c.exists("owner_org", known.orgs, "organization")


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def _check_deployment(c: _RowCheck, known: Known) -> None:
    v = c.row.values
    c.exists("robot_serial", known.robots, "robot")
    c.exists("scenario_id", known.scenarios, "scenario")
    c.exists("site_id", known.sites, "site")
    start, end = v["start_date"], v.get("end_date")
    if end is not None and end < start:  # type: ignore[operator]
        c.fail("end_date", f"end date {end} is before the start date {start}")
    key = (v["robot_serial"], v["scenario_id"], start)
    for (robot, scenario, other_start), other_end in known.deployments.items():
        if (
            robot == v["robot_serial"]
            and scenario != v["scenario_id"]
            and (robot, scenario, other_start) != key
        ) and _overlaps(start, end, other_start, other_end):  # type: ignore[arg-type]
            c.fail(
                "start_date",
                f"robot {robot} is already deployed at scenario {scenario} "
                f"from {other_start} to {other_end or 'open end'}",
            )
            break


def _check_submission(c: _RowCheck, known: Known) -> None:
    code = c.row.values["org_code"]
    if code not in known.orgs:
        c.fail("org_code", f"unknown organization {code!r}")
    elif known.orgs[code] not in NOMINATOR_KINDS:
        c.fail("org_code", f"{code} is a {known.orgs[code]}; only provinces and central SOEs submit")


def _remember(sheet: str, values: dict[str, object], known: Known) -> None:
    if sheet == "organizations":
        known.orgs[str(values["code"])] = str(values["kind"])
    elif sheet == "sites":
        known.sites[str(values["site_id"])] = str(values["province"])
    elif sheet == "scenarios":
        known.scenarios.add(str(values["scenario_id"]))
    elif sheet == "consortia":
        known.consortia.add(str(values["consortium_id"]))
    elif sheet == "robots":
        known.robots.add(str(values["serial"]))
    elif sheet == "deployments":
        key = (str(values["robot_serial"]), str(values["scenario_id"]), values["start_date"])
        known.deployments[key] = values.get("end_date")  # type: ignore[index,assignment]


_RULES = {
    "organizations": _check_organization,
    "sites": _check_site,
    "scenarios": _check_scenario,
    "consortia": _check_consortium,
    "consortium_members": _check_member,
    "robots": _check_robot,
    "deployments": _check_deployment,
    "submissions": _check_submission,
}


def _missing_headers(sheet: Sheet, doc: RawDocument, problems: list[Problem]) -> bool:
    if doc.path.suffix.lower() == ".json":
        return False  # JSON rows name their keys; a missing key is a missing value
    missing = [c.name for c in sheet.columns if c.required and c.name not in doc.headers[sheet.name]]
    for name in missing:
        problems.append(Problem(sheet.name, 1, name, "required column missing from the header"))
    return bool(missing)


def check_document(
    doc: RawDocument,
    known: Known,
    domains: tuple[str, ...],
    parsed: dict[str, list[GoodRow]] | None = None,
) -> tuple[dict[str, list[GoodRow]], dict[str, int], list[Problem]]:
    """Good rows per sheet, bad-row counts per sheet, and every problem, in file order; `parsed`,
    when given, receives every row whose cells parsed, good or not (whose rows they are can be
    judged even for a row whose references fail)."""
    problems: list[Problem] = []
    good: dict[str, list[GoodRow]] = {}
    bad: dict[str, int] = {}
    for sheet in SHEETS:
        raws = doc.sheets.get(sheet.name)
        if raws is None:
            continue
        if _missing_headers(sheet, doc, problems):
            good[sheet.name], bad[sheet.name] = [], len(raws)
            continue
        seen: dict[tuple[object, ...], int] = {}
        rows: list[GoodRow] = []
        for raw in raws:
            row = parse_row(sheet, raw, domains, problems)
            if row is None:
                continue
            if parsed is not None:
                parsed.setdefault(sheet.name, []).append(row)
            key = tuple(row.values[k] for k in sheet.key)
            if key in seen:
                problems.append(
                    Problem(
                        sheet.name,
                        raw.number,
                        sheet.key[0],
                        f"duplicate key {'/'.join(map(str, key))} (also row {seen[key]})",
                    )
                )
                continue
            seen[key] = raw.number
            check = _RowCheck(sheet.name, row, problems)
            _RULES[sheet.name](check, known)
            if check.ok:
                _remember(sheet.name, row.values, known)
                rows.append(row)
        good[sheet.name], bad[sheet.name] = rows, len(raws) - len(rows)
    return good, bad, problems
