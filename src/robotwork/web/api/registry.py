"""Registry resources: read by every person (robots and deployments within their scope);
officers import their own organization's nominations, the ministry anything."""

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from robotwork.access import import_guard, may_import, may_submit
from robotwork.errors import ImportRejected
from robotwork.read.registry import (
    RESOURCES,
    SINGLE,
    Me,
    OneRecord,
    Record,
    RegistryRows,
    me,
    registry_record,
    registry_rows,
)
from robotwork.registry.importer import import_document
from robotwork.registry.sources import RawDocument, document_from_rows, read_document
from robotwork.web.audit_trail import audited
from robotwork.web.deps import FiguresReader, PrincipalDep, ServicesDep, UserDep

router = APIRouter(tags=["registry"])


class ProblemOut(BaseModel):
    """A row of a workbook that was refused: where, and why."""

    sheet: str
    row: int
    column: str | None
    message: str


class SheetOutcome(BaseModel):
    """What happened to the rows of one sheet."""

    created: int
    updated: int
    unchanged: int
    rejected: int


class ImportOutcome(BaseModel):
    """An import's report (``robotwork import --json``): counts per sheet, problems, warnings,
    rows not the writer's (`forbidden`), whether anything was written."""

    path: str
    ok: bool
    written: bool
    sheets: dict[str, SheetOutcome]
    problems: list[ProblemOut]
    warnings: list[str]
    forbidden: list[ProblemOut]


@router.get("/me")
def get_me(principal: PrincipalDep) -> Me:
    """Who the request is authenticated as."""
    return me(principal)


@router.get("/registry/{resource}")
def list_records(
    resource: str,
    services: ServicesDep,
    scope: FiguresReader,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> RegistryRows:
    """Rows of one registry table (organizations, sites, scenarios, consortia, robots, ...);
    robots and deployments only of the robots in the reader's scope."""
    if resource not in RESOURCES:
        raise HTTPException(404, f"unknown resource {resource!r}; one of {', '.join(RESOURCES)}")
    return registry_rows(services.engine, scope, resource, limit=limit, offset=offset)


@router.get("/registry/{resource}/{key}", response_model=OneRecord)
def get_record(resource: str, key: str, services: ServicesDep, scope: FiguresReader) -> Record:
    """One record by its id (organizations, sites, scenarios, consortia, robots in scope)."""
    if resource not in SINGLE:
        raise HTTPException(404, f"no single-record lookup for {resource!r}")
    return registry_record(services.engine, scope, resource, key)


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


@router.post("/imports", response_model=ImportOutcome)
async def import_workbook(
    request: Request, file: UploadFile, services: ServicesDep, principal: UserDep, partial: bool = False
) -> ImportOutcome | JSONResponse:
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
    return ImportOutcome.model_validate(report.to_json())


class SubmissionIn(BaseModel):
    """A document handed to the ministry."""

    kind: str
    submitted_on: date
    document: str | None = None


@router.post("/organizations/{code}/submissions")
def add_submission(
    request: Request, code: str, body: SubmissionIn, services: ServicesDep, principal: UserDep
) -> ImportOutcome:
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
    return ImportOutcome.model_validate(report.to_json())
