"""Registry records as the API reads them: one table's rows, one record, who is asking.

Robots and deployments are raw evidence of robots: read within the robots in the reader's scope;
the other tables are the program's public register. Rows keep every column of their table (dates
as ISO text), so each resource's rows are documented as objects of that table's columns.
"""

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.access import ReadScope
from robotwork.accounts import Principal
from robotwork.errors import UnknownRecord
from robotwork.read.models import ReadModel
from robotwork.registry import models
from robotwork.registry.consortia import incomplete_consortia
from robotwork.registry.importer import jsonable
from robotwork.registry.template import SHEETS_BY_NAME

RESOURCES = ("organizations", "sites", "scenarios", "consortia", "robots", "deployments", "submissions")
SINGLE = ("organizations", "sites", "scenarios", "consortia", "robots")
_ROBOT_COLUMN = {"robots": "serial", "deployments": "robot_serial"}


class Me(ReadModel):
    """Who the request is authenticated as."""

    kind: str
    name: str
    role: str | None
    org_code: str | None
    consortium_id: str | None
    robot_serial: str | None


class RegistryRows(ReadModel):
    """Rows of one registry table; `incomplete` (consortia only) names the roles each lacks."""

    resource: str
    rows: list[dict[str, Any]]
    incomplete: dict[str, list[str]] | None = None


def me(principal: Principal) -> Me:
    """The principal as the API shows it."""
    return Me(
        kind=principal.kind,
        name=principal.name,
        role=principal.role,
        org_code=principal.org_code,
        consortium_id=principal.consortium_id,
        robot_serial=principal.robot_serial,
    )


def record_json(obj: models.Base) -> dict[str, Any]:
    """Every column of a registry row, as JSON (dates as ISO text)."""
    return {c.name: jsonable(getattr(obj, c.name)) for c in obj.__table__.columns}


def registry_rows(engine: Engine, scope: ReadScope, resource: str, *, limit: int, offset: int) -> RegistryRows:
    """Rows of one table (`RESOURCES`); robots and deployments only of robots in the scope."""
    model = SHEETS_BY_NAME[resource].model
    query = select(model)
    if resource in _ROBOT_COLUMN and scope.robots is not None:
        query = query.where(getattr(model, _ROBOT_COLUMN[resource]).in_(sorted(scope.robots)))
    with Session(engine) as session:
        rows = [record_json(o) for o in session.scalars(query.limit(limit).offset(offset))]
        incomplete = incomplete_consortia(session) if resource == "consortia" else None
    return RegistryRows(resource=resource, rows=rows, incomplete=incomplete)


def registry_record(engine: Engine, scope: ReadScope, resource: str, key: str) -> dict[str, Any]:
    """One record of a table of `SINGLE` by its id; `UnknownRecord` for none or a robot out of scope."""
    with Session(engine) as session:
        obj = session.get(SHEETS_BY_NAME[resource].model, key)
        if obj is None or (resource == "robots" and not scope.sees_robot(key)):
            raise UnknownRecord(f"{resource} {key!r}: not in the registry, or not yours to read")
        return record_json(obj)
