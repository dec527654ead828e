"""Recordings: list, detail, and upload with the same checks as `robotwork ingest`."""

import threading
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Response, UploadFile
from pydantic import BaseModel

from robotwork.access import may_upload_recording
from robotwork.accounts import Principal
from robotwork.errors import IngestError
from robotwork.ingest import inbox, jobs
from robotwork.ingest.pipeline import IngestResult
from robotwork.ingest.readers import open_recording
from robotwork.read.recording import Recording, RecordingList, Upload, list_recordings, recording_detail
from robotwork.web.deps import PrincipalDep, RecordingsReader, Services, ServicesDep

router = APIRouter(tags=["recordings"])
# Uploads received at once by this process: the rest wait, blocked, holding no CPU. Each one
# hashes and copies bytes under the interpreter lock; forty at once (the thread pool's size)
# would keep the event loop, and so every other request, waiting for that lock.
_RECEIVING = threading.BoundedSemaphore(4)


class UploadOutcome(BaseModel):
    """What became of one upload (the ``robotwork ingest --json`` result of one input)."""

    path: str
    status: str
    recording_id: str | None
    robot_serial: str | None
    messages: int
    error: str | None
    state: str | None


@router.get("/recordings")
def get_recordings(
    services: ServicesDep,
    scope: RecordingsReader,
    robot: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> RecordingList:
    """Stored recordings of the robots in the reader's scope, newest first, with their flags."""
    rows = list_recordings(services.engine, services.policy, scope, robot=robot, limit=limit, offset=offset)
    return RecordingList(rows=rows)


@router.get("/recordings/{recording_id}")
def get_recording(recording_id: str, services: ServicesDep, scope: RecordingsReader) -> Recording | Upload:
    """One recording of a robot in the reader's scope, with its flags; an upload on its way in
    (or refused) with its state."""
    job = jobs.read(services.engine, recording_id)
    upload = None
    if job is not None:
        serial = job.overrides.get("robot_serial")
        upload = Upload(
            recording_id=recording_id,
            robot_serial=serial,
            source_name=job.source_name,
            state=job.state,
            error=job.error,
        )
    return recording_detail(services.engine, services.policy, scope, recording_id, upload)


@router.post(
    "/recordings",
    status_code=202,
    responses={200: {"model": UploadOutcome, "description": "Known already, or refused as it came in"}},
)
def upload_recording(
    file: UploadFile,
    services: ServicesDep,
    principal: PrincipalDep,
    response: Response,
    robot: str | None = Form(None),
) -> UploadOutcome:
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
) -> UploadOutcome:
    """Keep the bytes, check whose robot they are about, queue the job (or refuse it)."""
    recording_id, source = inbox.put(services.store, file.file, name)
    with inbox.local_copy(services.store, source) as path:
        try:
            in_file = open_recording(path).identity.get("robot_serial")
        except IngestError as exc:
            _drop_unqueued(services, recording_id, source)
            error = str(exc).replace(str(path), name)
            response.status_code = 200
            return UploadOutcome(**IngestResult(name, "rejected", None, robot, error=error).to_json())
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
    return UploadOutcome(**result.to_json())


def _drop_unqueued(services: Services, recording_id: str, source: str) -> None:
    """Delete refused bytes from the inbox, unless a job of the same bytes still needs them."""
    if jobs.read(services.engine, recording_id) is None:
        inbox.discard(services.store, source)
