"""Registry records as the API reads them: one table's rows, one record, who is asking.

Robots and deployments are raw evidence of robots: read within the robots in the reader's scope;
the other tables are the program's public register. Rows keep every column of their table (dates
as ISO text); each table has its record model, made from the table's columns (`RECORDS`), so the
OpenAPI document names every column of every resource and a row cannot pass for another's.
"""

from typing import TYPE_CHECKING, Any, Union

from pydantic import ConfigDict, create_model
from sqlalchemy import JSON, Boolean, Date, DateTime, Engine, Float, Integer, select
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


class Record(ReadModel):
    """A registry row: exactly its table's columns."""

    model_config = ConfigDict(extra="forbid")


def _column_type(column: Any) -> Any:
    """The JSON type of a column as `record_json` writes it (dates as ISO text, JSON as is)."""
    kind = column.type
    if isinstance(kind, JSON):
        return Any
    if isinstance(kind, Date | DateTime):
        found: Any = str
    elif isinstance(kind, Boolean):
        found = bool
    elif isinstance(kind, Integer):
        found = int
    elif isinstance(kind, Float):
        found = float
    else:
        found = str
    return found | None if column.nullable else found


def _record_model(resource: str) -> type[Record]:
    model = SHEETS_BY_NAME[resource].model
    fields: dict[str, Any] = {c.name: (_column_type(c), ...) for c in model.__table__.columns}
    return create_model(f"{model.__name__}Record", __base__=Record, **fields)


RECORDS: dict[str, type[Record]] = {resource: _record_model(resource) for resource in RESOURCES}
if TYPE_CHECKING:
    Rows = list[Record]
    OneRecord = Record
else:  # the rows of one table, one record: documented as the union of the tables' records
    Rows = Union[tuple(list[model] for model in RECORDS.values())]  # noqa: UP007
    OneRecord = Union[tuple(RECORDS[resource] for resource in SINGLE)]  # noqa: UP007


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
    rows: Rows
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


def registry_rows(
    engine: Engine, scope: ReadScope, resource: str, *, limit: int, offset: int
) -> RegistryRows:
    """Rows of one table (`RESOURCES`); robots and deployments only of robots in the scope."""
    model = SHEETS_BY_NAME[resource].model
    query = select(model)
    if resource in _ROBOT_COLUMN and scope.robots is not None:
        query = query.where(getattr(model, _ROBOT_COLUMN[resource]).in_(sorted(scope.robots)))
    with Session(engine) as session:
        found = session.scalars(query.limit(limit).offset(offset))
        rows = [RECORDS[resource].model_validate(record_json(o)) for o in found]
        incomplete = incomplete_consortia(session) if resource == "consortia" else None
    return RegistryRows(resource=resource, rows=rows, incomplete=incomplete)


def registry_record(engine: Engine, scope: ReadScope, resource: str, key: str) -> Record:
    """One record of a table of `SINGLE` by its id; `UnknownRecord` for none or a robot out of scope."""
    with Session(engine) as session:
        obj = session.get(SHEETS_BY_NAME[resource].model, key)
        if obj is None or (resource == "robots" and not scope.sees_robot(key)):
            raise UnknownRecord(f"{resource} {key!r}: not in the registry, or not yours to read")
        return RECORDS[resource].model_validate(record_json(obj))
