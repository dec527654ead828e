"""Registry resources: read for every logged-in person; officers import their own nominations."""

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, UploadFile
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.errors import ImportRejected, UnknownRecord
from robotwork.registry import models
from robotwork.registry.consortia import incomplete_consortia
from robotwork.registry.importer import import_document, jsonable
from robotwork.registry.sources import RawDocument, document_from_rows, read_document
from robotwork.registry.template import SHEETS_BY_NAME
from robotwork.web.deps import PrincipalDep, ServicesDep, UserDep
from robotwork.web.views.scopes import foreign_rows, may_import

router = APIRouter(tags=["registry"])

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
    _user: UserDep,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> dict[str, Any]:
    """Rows of one registry table (organizations, sites, scenarios, consortia, robots, ...)."""
    if resource not in _RESOURCES:
        raise HTTPException(404, f"unknown resource {resource!r}; one of {', '.join(_RESOURCES)}")
    model = SHEETS_BY_NAME[_RESOURCES[resource]].model
    with Session(services.engine) as session:
        rows = [record_json(o) for o in session.scalars(select(model).limit(limit).offset(offset))]
        extra = {"incomplete": incomplete_consortia(session)} if resource == "consortia" else {}
    return {"resource": resource, "rows": rows, **extra}


@router.get("/registry/{resource}/{key}")
def get_record(resource: str, key: str, services: ServicesDep, _user: UserDep) -> dict[str, Any]:
    """One record by its id (organizations, sites, scenarios, consortia, robots)."""
    if resource not in ("organizations", "sites", "scenarios", "consortia", "robots"):
        raise HTTPException(404, f"no single-record lookup for {resource!r}")
    model = SHEETS_BY_NAME[resource].model
    with Session(services.engine) as session:
        obj = session.get(model, key)
        if obj is None:
            raise UnknownRecord(f"{resource} {key!r}: not in the registry")
        return record_json(obj)


async def _document(upload: UploadFile) -> RawDocument:
    name = Path(upload.filename or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in (".xlsx", ".json"):
        raise ImportRejected(f"{name}: upload an .xlsx workbook or a .json document")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(await upload.read())
        doc = read_document(path)
    doc.path = Path(name)
    return doc


@router.post("/imports")
async def import_workbook(
    file: UploadFile, services: ServicesDep, principal: UserDep, partial: bool = False
) -> dict[str, Any]:
    """Import a nomination workbook (officers: their own organization's rows only)."""
    doc = await _document(file)
    if not may_import(principal):
        raise HTTPException(403, "only province and central SOE officers import nominations")
    foreign = foreign_rows(services.engine, doc, principal)
    if foreign:
        raise HTTPException(403, f"{len(foreign)} row(s) belong to another organization; first: {foreign[0]}")
    report = import_document(services.engine, doc, services.policy, partial=partial, actor=principal.name)
    return report.to_json()


class SubmissionIn(BaseModel):
    """A document handed to the ministry."""

    kind: str
    submitted_on: date
    document: str | None = None


@router.post("/organizations/{code}/submissions")
def add_submission(
    code: str, body: SubmissionIn, services: ServicesDep, principal: UserDep
) -> dict[str, Any]:
    """Record an implementation plan or progress report (the organization's own officers only)."""
    if principal.role not in ("province", "central_soe") or principal.org_code != code:
        raise HTTPException(403, f"only {code}'s own officers submit for it")
    row: dict[str, object] = {
        "org_code": code,
        "kind": body.kind,
        "submitted_on": body.submitted_on.isoformat(),
        "document": body.document or "",
    }
    doc = document_from_rows(Path("api-submission.json"), {"submissions": [row]})
    report = import_document(services.engine, doc, services.policy, actor=principal.name)
    if not report.ok:
        raise ImportRejected(str(report.problems[0]), report.problems)
    return report.to_json()
