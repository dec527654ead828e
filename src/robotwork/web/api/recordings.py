"""Recordings: list, detail, and upload with the same checks as `robotwork ingest`."""

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Response, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.access import may_upload_recording
from robotwork.accounts import Principal
from robotwork.errors import IngestError, UnknownRecord
from robotwork.ingest import inbox, jobs
from robotwork.ingest.pipeline import IngestResult
from robotwork.ingest.readers import open_recording
from robotwork.registry.models import Flag, Recording
from robotwork.web.api.registry import record_json
from robotwork.web.deps import PrincipalDep, RecordingsReader, Services, ServicesDep

router = APIRouter(tags=["recordings"])
# Uploads received at once by this process: the rest wait, blocked, holding no CPU. Each one
# hashes and copies bytes under the interpreter lock; forty at once (the thread pool's size)
# would keep the event loop, and so every other request, waiting for that lock.
_RECEIVING = threading.BoundedSemaphore(4)


@router.get("/recordings")
def list_recordings(
    services: ServicesDep,
    scope: RecordingsReader,
    robot: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> dict[str, Any]:
    """Stored recordings of the robots in the reader's scope, newest first."""
    query = select(Recording).order_by(Recording.start_ns.desc())
    if scope.robots is not None:
        query = query.where(Recording.robot_serial.in_(sorted(scope.robots)))
    if robot:
        query = query.where(Recording.robot_serial == robot)
    query = query.limit(limit).offset(offset)
    with Session(services.engine) as session:
        return {"rows": [record_json(r) for r in session.scalars(query)]}


@router.get("/recordings/{recording_id}")
def get_recording(recording_id: str, services: ServicesDep, scope: RecordingsReader) -> dict[str, Any]:
    """One recording of a robot in the reader's scope, with its flags."""
    with Session(services.engine) as session:
        rec = session.get(Recording, recording_id)
        job = jobs.read(services.engine, recording_id)
        if rec is None and job is not None:  # an upload on its way in, or refused
            serial = job.overrides.get("robot_serial")
            if serial and scope.sees_robot(serial):
                return {
                    "recording_id": recording_id,
                    "robot_serial": serial,
                    "source_name": job.source_name,
                    "state": job.state,
                    "error": job.error,
                }
        if rec is None or not scope.sees_robot(rec.robot_serial):
            raise UnknownRecord(f"recording {recording_id}: not stored, or not yours to read")
        flags = [
            {"id": f.id, "rule": f.rule, "evidence": f.evidence, "cleared": f.cleared_at is not None}
            for f in session.scalars(select(Flag).where(Flag.recording_id == recording_id))
        ]
        return {**record_json(rec), "flags": flags, "state": job.state if job else jobs.COUNTED}


@router.post("/recordings", status_code=202)
def upload_recording(
    file: UploadFile,
    services: ServicesDep,
    principal: PrincipalDep,
    response: Response,
    robot: str | None = Form(None),
) -> dict[str, Any]:
    """Upload one MCAP recording: its bytes are kept, its job queued (202, state `received`),
    and a worker ingests it exactly as `robotwork ingest` would; GET /recordings/{id} follows it.

    A device retrying the same bytes gets the same id (200 with the job's state when it is
    already known) and never a second copy.
    """
    try:
        name = inbox.clean_name(file.filename)
    except IngestError as exc:
        raise HTTPException(422, str(exc)) from None
    with _RECEIVING:
        return _receive(file, services, principal, response, name, robot)


def _receive(
    file: UploadFile,
    services: Services,
    principal: Principal,
    response: Response,
    name: str,
    robot: str | None,
) -> dict[str, Any]:
    """Keep the bytes, check whose robot they are about, queue the job (or refuse it)."""
    recording_id, source = inbox.put(services.store, file.file, name)
    with inbox.local_copy(services.store, source) as path:
        try:
            in_file = open_recording(path).identity.get("robot_serial")
        except IngestError as exc:
            _drop_unqueued(services, recording_id, source)
            error = str(exc).replace(str(path), name)
            response.status_code = 200
            return IngestResult(name, "rejected", None, robot, error=error).to_json()
    # The file's own serial unless the form names one; a device token never relabels a recording.
    serial = robot or in_file or principal.robot_serial
    if serial is None:
        _drop_unqueued(services, recording_id, source)
        raise HTTPException(
            403, "the recording names no robot: give robot_serial in its metadata or the form"
        )
    for named in sorted(n for n in {serial, in_file} if n is not None):
        if not may_upload_recording(services.engine, principal, named):
            _drop_unqueued(services, recording_id, source)
            raise HTTPException(
                403,
                f"robot {named}: not yours to upload (device tokens: their own "
                "robot; consortium members: their consortium's robots)",
            )
    result = services.queue_upload(recording_id, source, name, serial=serial, actor=principal.name)
    if result.status != "received":
        response.status_code = 200
    return result.to_json()


def _drop_unqueued(services: Services, recording_id: str, source: str) -> None:
    """Delete refused bytes from the inbox, unless a job of the same bytes still needs them."""
    if jobs.read(services.engine, recording_id) is None:
        inbox.discard(services.store, source)
