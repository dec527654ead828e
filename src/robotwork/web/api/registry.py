"""Registry resources: read by every person (robots and deployments within their scope);
officers import their own organization's nominations, the ministry anything."""

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.access import import_guard, may_import, may_submit
from robotwork.errors import ImportRejected, UnknownRecord
from robotwork.registry import models
from robotwork.registry.consortia import incomplete_consortia
from robotwork.registry.importer import import_document, jsonable
from robotwork.registry.sources import RawDocument, document_from_rows, read_document
from robotwork.registry.template import SHEETS_BY_NAME
from robotwork.web.audit_trail import audited
from robotwork.web.deps import FiguresReader, PrincipalDep, ServicesDep, UserDep

router = APIRouter(tags=["registry"])

# Resources that are raw evidence of robots: read within the robots in scope, by this column.
_ROBOT_COLUMN = {"robots": "serial", "deployments": "robot_serial"}
_RESOURCES = {  # URL name -> template sheet
    "organizations": "organizations",
    "sites": "sites",
    "scenarios": "scenarios",
    "consortia": "consortia",
    "robots": "robots",
    "deployments": "deployments",
    "submissions": "submissions",
}


def record_json(obj: models.Base) -> dict[str, Any]:
    """Every column of a registry row, as JSON (dates as ISO text)."""
    return {c.name: jsonable(getattr(obj, c.name)) for c in obj.__table__.columns}


@router.get("/me")
def me(principal: PrincipalDep) -> dict[str, Any]:
    """Who the request is authenticated as."""
    return {
        "kind": principal.kind,
        "name": principal.name,
        "role": principal.role,
        "org_code": principal.org_code,
        "consortium_id": principal.consortium_id,
        "robot_serial": principal.robot_serial,
    }


@router.get("/registry/{resource}")
def list_records(
    resource: str,
    services: ServicesDep,
    scope: FiguresReader,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> dict[str, Any]:
    """Rows of one registry table (organizations, sites, scenarios, consortia, robots, ...);
    robots and deployments only of the robots in the reader's scope."""
    if resource not in _RESOURCES:
        raise HTTPException(404, f"unknown resource {resource!r}; one of {', '.join(_RESOURCES)}")
    model = SHEETS_BY_NAME[_RESOURCES[resource]].model
    query = select(model)
    if resource in _ROBOT_COLUMN and scope.robots is not None:
        query = query.where(getattr(model, _ROBOT_COLUMN[resource]).in_(sorted(scope.robots)))
    with Session(services.engine) as session:
        rows = [record_json(o) for o in session.scalars(query.limit(limit).offset(offset))]
        extra = {"incomplete": incomplete_consortia(session)} if resource == "consortia" else {}
    return {"resource": resource, "rows": rows, **extra}


@router.get("/registry/{resource}/{key}")
def get_record(resource: str, key: str, services: ServicesDep, scope: FiguresReader) -> dict[str, Any]:
    """One record by its id (organizations, sites, scenarios, consortia, robots in scope)."""
    if resource not in ("organizations", "sites", "scenarios", "consortia", "robots"):
        raise HTTPException(404, f"no single-record lookup for {resource!r}")
    model = SHEETS_BY_NAME[resource].model
    with Session(services.engine) as session:
        obj = session.get(model, key)
        if obj is None or (resource == "robots" and not scope.sees_robot(key)):
            raise UnknownRecord(f"{resource} {key!r}: not in the registry, or not yours to read")
        return record_json(obj)


_MAX_WORKBOOK_BYTES = 64 * 1024**2


async def _document(upload: UploadFile) -> RawDocument:
    """The uploaded workbook read under the name it was sent with: messages never show a path
    of the server."""
    name = Path(upload.filename or "upload").name[:200] or "upload"
    suffix = Path(name).suffix.lower()
    if suffix not in (".xlsx", ".json"):
        raise ImportRejected(f"{name}: upload an .xlsx workbook or a .json document")
    body = await upload.read(_MAX_WORKBOOK_BYTES + 1)
    if len(body) > _MAX_WORKBOOK_BYTES:
        raise ImportRejected(f"{name}: larger than {_MAX_WORKBOOK_BYTES:,} bytes")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(body)
        doc = await run_in_threadpool(read_document, path, name=name)
    doc.path = Path(name)
    return doc


@router.post("/imports", response_model=None)
async def import_workbook(
    request: Request, file: UploadFile, services: ServicesDep, principal: UserDep, partial: bool = False
) -> dict[str, Any] | JSONResponse:
    """Import a nomination workbook: officers write only their own organization's rows, the
    ministry any. A workbook touching another's rows is refused whole (403), every such row
    named in `forbidden` with its sheet, row, column and owner."""
    if not may_import(principal):
        raise HTTPException(403, "only the ministry and province and central SOE officers import nominations")
    doc = await _document(file)
    report = await run_in_threadpool(  # parsing rows and writing them must not stall the event loop
        import_document,
        services.engine,
        doc,
        services.policy,
        partial=partial,
        actor=principal.name,
        guard=import_guard(principal),
        address=audited(request),
    )
    if report.forbidden:
        first = report.forbidden[0]
        detail = f"{len(report.forbidden)} row(s) belong to another organization; first: {first}"
        return JSONResponse({"detail": detail, **report.to_json()}, status_code=403)
    return report.to_json()


class SubmissionIn(BaseModel):
    """A document handed to the ministry."""

    kind: str
    submitted_on: date
    document: str | None = None


@router.post("/organizations/{code}/submissions")
def add_submission(
    request: Request, code: str, body: SubmissionIn, services: ServicesDep, principal: UserDep
) -> dict[str, Any]:
    """Record an implementation plan or progress report (the organization's own officers only)."""
    if not may_submit(principal, code):
        raise HTTPException(403, f"only {code}'s own officers (and the ministry) submit for it")
    row: dict[str, object] = {
        "org_code": code,
        "kind": body.kind,
        "submitted_on": body.submitted_on.isoformat(),
        "document": body.document or "",
    }
    doc = document_from_rows(Path("api-submission.json"), {"submissions": [row]})
    report = import_document(
        services.engine, doc, services.policy, actor=principal.name, address=audited(request)
    )
    if not report.ok:
        raise ImportRejected(str(report.problems[0]), report.problems)
    return report.to_json()
