"""`robotwork import`: check a whole file, then write it in one transaction, with history.

All-or-nothing by default: when any row is bad nothing is written. With ``partial`` the good
rows are written and the bad ones reported. Re-importing the same rows changes nothing; a
changed row is updated and its old and new values go to the change history.

Imports are serialized: each takes the registry's import lock before it reads, so two imports
at once run one after the other, each checked against what the other wrote, and each is
whole or absent (a killed import's transaction never commits). A `Guard` (who may write which
rows) runs inside the same transaction; a row it refuses makes the whole import refused.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from robotwork.policy import Policy
from robotwork.registry import audit, models
from robotwork.registry.checks import GoodRow, Known, Problem, check_document
from robotwork.registry.consortia import incomplete_consortia
from robotwork.registry.db import lock_for_writing
from robotwork.registry.sources import RawDocument, read_document
from robotwork.registry.template import SHEETS, Sheet

# The parsed rows of an import, by sheet -> the rows the writer may not write (with whose they are).
Guard = Callable[[Session, dict[str, list[GoodRow]]], list[Problem]]
# Key of the PostgreSQL advisory lock that serializes imports (any fixed number; "rwimport").
_IMPORT_LOCK = 0x7277696D706F7274


@dataclass
class SheetCounts:
    """What happened to the rows of one sheet."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class ImportReport:
    """The outcome of one import: counts per sheet, problems, warnings, whether anything was written."""

    path: str
    written: bool
    sheets: dict[str, SheetCounts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    forbidden: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row was good and the writer's own."""
        return not self.problems and not self.forbidden

    def summary(self) -> str:
        """The one-line answer printed on stderr."""
        if self.ok:
            made = sum(c.created for c in self.sheets.values())
            changed = sum(c.updated for c in self.sheets.values())
            same = sum(c.unchanged for c in self.sheets.values())
            return f"{self.path}: imported, {made} created, {changed} updated, {same} unchanged"
        if self.forbidden:
            rows = len({(p.sheet, p.row) for p in self.forbidden})
            return (
                f"{self.path}: refused, {rows} row(s) not yours (first: {self.forbidden[0]}); nothing written"
            )
        rows = len({(p.sheet, p.row) for p in self.problems})
        first = self.problems[0]
        tail = "good rows written" if self.written else "nothing written"
        return f"{self.path}: rejected, {rows} bad row(s) (first: {first}); {tail}"

    def to_json(self) -> dict[str, Any]:
        """The report as the ``--json`` output."""
        return {
            "path": self.path,
            "ok": self.ok,
            "written": self.written,
            "sheets": {name: vars(c) for name, c in self.sheets.items()},
            "problems": [
                {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}
                for p in self.problems
            ],
            "warnings": self.warnings,
            "forbidden": [
                {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}
                for p in self.forbidden
            ],
        }


def jsonable(value: object) -> object:
    """A value as it is kept in the change history (dates as ISO text)."""
    if isinstance(value, date):
        return value.isoformat()
    return value


def _record_key(sheet: Sheet, values: dict[str, object]) -> str:
    return "/".join(str(jsonable(values[k])) for k in sheet.key)


def _apply_sheet(
    session: Session, sheet: Sheet, rows: list[GoodRow], counts: SheetCounts, actor: str, source: str
) -> None:
    existing = {
        tuple(getattr(obj, k) for k in sheet.key): obj for obj in session.scalars(select(sheet.model))
    }
    now = datetime.now(UTC)
    for row in rows:
        values = dict(row.values)
        if row.notes:
            values["notes"] = row.notes
        key = tuple(values[k] for k in sheet.key)
        obj = existing.get(key)
        if obj is None:
            full = {c.name: c.default for c in sheet.columns} | {"notes": {}} | values
            session.add(sheet.model(**full))
            old, new, action = None, full, "create"
            counts.created += 1
        else:
            old = {k: getattr(obj, k) for k, v in values.items() if getattr(obj, k) != v}
            if not old:
                counts.unchanged += 1
                continue
            new = {k: values[k] for k in old}
            for k, v in new.items():
                setattr(obj, k, v)
            action = "update"
            counts.updated += 1
        session.add(
            models.Change(
                entity=sheet.name,
                record_key=_record_key(sheet, values),
                action=action,
                old=None if old is None else {k: jsonable(v) for k, v in old.items()},
                new={k: jsonable(v) for k, v in new.items()},
                actor=actor,
                source=source,
                changed_at=now,
            )
        )
        session.flush()


def _take_import_lock(session: Session) -> None:
    """Wait for any other import to finish, then hold the lock until this transaction ends.

    SQLite: BEGIN IMMEDIATE takes the database's write lock before the first read. PostgreSQL:
    a transaction-scoped advisory lock (readers are never blocked).
    """
    lock_for_writing(session.connection())
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORT_LOCK})


def _audit(session: Session, report: ImportReport, actor: str, address: str | None) -> None:
    outcome = "ok" if report.ok else "forbidden" if report.forbidden else "refused"
    counts = {name: vars(c) for name, c in report.sheets.items()}
    detail = {"written": report.written, "sheets": counts, "problems": len(report.problems)}
    detail["forbidden"] = [str(p) for p in report.forbidden[:50]]
    audit.add(
        session,
        actor=actor,
        action="import",
        outcome=outcome,
        address=address,
        target=report.path,
        detail=detail,
    )


def import_document(
    engine: Engine,
    doc: RawDocument,
    policy: Policy,
    *,
    partial: bool = False,
    actor: str,
    guard: Guard | None = None,
    address: str | None = audit.LOCAL_ADDRESS,
) -> ImportReport:
    """Check `doc` against the registry and write it (see module docstring for the rules); the
    act goes to the audit trail with `actor` and `address`, whatever its outcome."""
    report = ImportReport(path=str(doc.path), written=False)
    report.warnings += [f"sheet {s!r} is not in the template and was ignored" for s in doc.ignored_sheets]
    with Session(engine, autobegin=False) as session:
        session.begin()
        _take_import_lock(session)
        _import_locked(session, doc, policy, report, partial=partial, actor=actor, guard=guard)
        if not report.written:
            session.rollback()  # nothing of the import is kept; the audit event is
            session.begin()
        _audit(session, report, actor, address)
        session.commit()
    return report


def _import_locked(
    session: Session,
    doc: RawDocument,
    policy: Policy,
    report: ImportReport,
    *,
    partial: bool,
    actor: str,
    guard: Guard | None,
) -> None:
    """The import itself, inside the locked transaction; `report.written` says whether to keep it."""
    parsed: dict[str, list[GoodRow]] = {}
    good, bad, problems = check_document(doc, Known.from_registry(session), policy.domains, parsed)
    report.problems = problems
    for sheet in SHEETS:
        if sheet.name in good:
            report.sheets[sheet.name] = SheetCounts(rejected=bad[sheet.name])
    report.forbidden = guard(session, parsed) if guard else []
    if report.forbidden or (problems and not partial):
        return
    for sheet in SHEETS:
        if sheet.name in good:
            _apply_sheet(session, sheet, good[sheet.name], report.sheets[sheet.name], actor, str(doc.path))
    touched = {
        str(r.values["consortium_id"]) for s in ("consortia", "consortium_members") for r in good.get(s, [])
    }
    for consortium_id, missing in incomplete_consortia(session, touched).items():
        report.warnings.append(
            f"consortium {consortium_id} is incomplete: no member with role {', '.join(missing)}"
        )
    report.written = True


def import_file(
    engine: Engine, path: Path, policy: Policy, *, partial: bool = False, actor: str
) -> ImportReport:
    """Read and import `path` (.xlsx, folder of .csv, or .json); unreadable files raise."""
    return import_document(engine, read_document(path), policy, partial=partial, actor=actor)
