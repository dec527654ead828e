"""Uploads: a nomination workbook (officers) and a recording (consortium members).

Both go through the same doors as the CLI: the importer (all-or-nothing, problems by sheet, row
and column) and `Intake` (ingest, derive, flag). Before either, `access` decides whose
rows or robot the upload is about; a foreign one is refused whole with 403 and nothing written.
"""

import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse

from robotwork.access import import_guard, may_import, may_upload_recording
from robotwork.accounts import Principal
from robotwork.errors import RobotworkError
from robotwork.ingest import inbox
from robotwork.ingest.pipeline import IngestResult
from robotwork.ingest.readers import open_recording
from robotwork.registry.importer import import_document
from robotwork.registry.sources import read_document
from robotwork.web.audit_trail import audited
from robotwork.web.deps import Services, ServicesDep, UserDep
from robotwork.web.pages.render import LangDep, render

router = APIRouter()
WORKBOOK_SUFFIXES = (".xlsx", ".json")
RECORDING_SUFFIXES = (".mcap",)
_CHUNK = 1 << 20


class UploadRefused(RobotworkError):
    """An upload refused before reading it (wrong kind of file, too big), with its HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@contextmanager
def saved(request: Request, upload: UploadFile, suffixes: tuple[str, ...]) -> Iterator[Path]:
    """The upload written to a private temporary folder under its own (cleaned) file name, so
    messages and the stored recording name the file the user chose; refused when too big."""
    name = re.sub(r"[^\w.\-]+", "_", Path(upload.filename or "upload").name) or "upload"
    if not name.lower().endswith(suffixes):
        raise UploadRefused(f"{name}: expected a {' or '.join(suffixes)} file", 422)
    limit = request.app.state.settings.max_upload_bytes
    home = request.app.state.settings.home
    with tempfile.TemporaryDirectory(prefix="upload-", dir=home) as folder:
        path = Path(folder) / name
        written = 0
        with path.open("wb") as out:
            while block := upload.file.read(_CHUNK):
                written += len(block)
                if written > limit:
                    raise UploadRefused(f"{name}: larger than {limit:,} bytes", 413)
                out.write(block)
        yield path


def _page(
    request: Request, services: Services, user: Principal, lang: str, status: int = 200, **result: Any
) -> HTMLResponse:
    """The upload page with the outcome of one form (`workbook=` or `recording=`)."""
    return render(
        request, services, "upload.html", lang=lang, user=user, nav="upload", status=status, **result
    )


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, services: ServicesDep, user: UserDep, lang: LangDep) -> HTMLResponse:
    """The two upload forms; each says who may use it."""
    return _page(request, services, user, lang)


@router.post("/upload/workbook", response_class=HTMLResponse)
def upload_workbook(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    lang: LangDep,
    file: Annotated[UploadFile, File()],
) -> HTMLResponse:
    """Import a nomination workbook for the officer's own organization, all or nothing."""
    if not may_import(user):
        return _page(request, services, user, lang, 403, workbook={"refused": "role"})
    try:
        return _import(request, services, user, lang, file)
    except UploadRefused as exc:
        return _page(request, services, user, lang, exc.status, workbook={"error": str(exc)})


def _import(
    request: Request, services: Services, user: Principal, lang: str, file: UploadFile
) -> HTMLResponse:
    """Read the workbook, refuse it whole if it touches another organization, else import it."""
    with saved(request, file, WORKBOOK_SUFFIXES) as path:
        try:
            doc = read_document(path)
        except RobotworkError as exc:
            unreadable = {"file": path.name, "error": _named(str(exc), path)}
            return _page(request, services, user, lang, 422, workbook=unreadable)
        doc.path = Path(path.name)  # the report names the file as sent, never the temporary copy
        guard, address = import_guard(user), audited(request)
        report = import_document(
            services.engine, doc, services.policy, actor=user.name, guard=guard, address=address
        )
        if report.forbidden:
            foreign = {"file": path.name, "foreign": report.forbidden}
            return _page(request, services, user, lang, 403, workbook=foreign)
    result = {"file": path.name, "report": report}
    return _page(request, services, user, lang, 200 if report.ok else 422, workbook=result)


@router.post("/upload/recording", response_class=HTMLResponse)
def upload_recording(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    lang: LangDep,
    file: Annotated[UploadFile, File()],
) -> HTMLResponse:
    """Take in a recording of one of the consortium's robots through `Intake`."""
    if user.role != "consortium":
        return _page(request, services, user, lang, 403, recording={"refused": "role"})
    try:
        return _ingest(request, services, user, lang, file)
    except UploadRefused as exc:
        return _page(request, services, user, lang, exc.status, recording={"error": str(exc)})


def _ingest(
    request: Request, services: Services, user: Principal, lang: str, file: UploadFile
) -> HTMLResponse:
    """Read the robot's identity first (cheap), refuse another consortium's robot, else take it in."""
    with saved(request, file, RECORDING_SUFFIXES) as path:
        try:
            serial = open_recording(path).identity.get("robot_serial")
        except RobotworkError as exc:
            unreadable = {"file": path.name, "error": _named(str(exc), path)}
            return _page(request, services, user, lang, 422, recording=unreadable)
        if not may_upload_recording(services.engine, user, serial):
            foreign = {"file": path.name, "refused": "robot", "serial": serial}
            return _page(request, services, user, lang, 403, recording=foreign)
        with path.open("rb") as stream:
            recording_id, source = inbox.put(services.store, stream, path.name)
    queued = services.queue_upload(recording_id, source, path.name, serial=serial, actor=user.name)
    taken = _settled(services, queued)
    error = re.sub(rf"^\S*/{re.escape(path.name)}:", f"{path.name}:", taken.error) if taken.error else None
    result = {"file": path.name, "result": taken, "error": error}
    return _page(request, services, user, lang, 422 if taken.status == "rejected" else 200, recording=result)


def _settled(services: Services, queued: IngestResult, timeout_s: float = 120.0) -> IngestResult:
    """The upload's outcome once a worker is done with it, for the page to show at once; the
    page waits on a thread of the pool, never on the event loop. Still `received` if slow."""
    if queued.status != "received" or queued.recording_id is None:
        return queued
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = services.intake.result(queued.recording_id, queued.path)
        if result.status == "duplicate":  # counted: by this upload's worker
            return replace(result, status="ingested")
        if result.status != "received":
            return result
        time.sleep(0.1)
    return queued


def _named(message: str, path: Path) -> str:
    """A message about the temporary copy, naming the file as the user chose it."""
    return message.replace(f"{path.parent}/", "")
