"""Recordings: list, detail, and upload with the same checks as `robotwork ingest`."""

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.errors import IngestError, UnknownRecord
from robotwork.ingest.pipeline import Overrides
from robotwork.ingest.readers import open_recording
from robotwork.registry.models import Flag, Recording
from robotwork.web.api.registry import record_json
from robotwork.web.deps import PrincipalDep, ServicesDep, UserDep
from robotwork.web.views.scopes import may_upload_recording

router = APIRouter(tags=["recordings"])
_CHUNK = 1 << 20


@router.get("/recordings")
def list_recordings(
    services: ServicesDep,
    _user: UserDep,
    robot: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> dict[str, Any]:
    """Stored recordings, newest first."""
    query = select(Recording).order_by(Recording.start_ns.desc())
    if robot:
        query = query.where(Recording.robot_serial == robot)
    query = query.limit(limit).offset(offset)
    with Session(services.engine) as session:
        return {"rows": [record_json(r) for r in session.scalars(query)]}


@router.get("/recordings/{recording_id}")
def get_recording(recording_id: str, services: ServicesDep, _user: UserDep) -> dict[str, Any]:
    """One recording, with its flags."""
    with Session(services.engine) as session:
        rec = session.get(Recording, recording_id)
        if rec is None:
            raise UnknownRecord(f"recording {recording_id}: not stored")
        flags = [
            {"id": f.id, "rule": f.rule, "evidence": f.evidence, "cleared": f.cleared_at is not None}
            for f in session.scalars(select(Flag).where(Flag.recording_id == recording_id))
        ]
        return {**record_json(rec), "flags": flags}


@router.post("/recordings")
async def upload_recording(
    file: UploadFile, services: ServicesDep, principal: PrincipalDep, robot: str | None = Form(None)
) -> dict[str, Any]:
    """Upload one MCAP recording: checked and stored exactly as `robotwork ingest` would."""
    name = Path(file.filename or "upload.mcap").name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        with path.open("wb") as sink:
            while chunk := await file.read(_CHUNK):
                sink.write(chunk)
        try:
            in_file = open_recording(path).identity.get("robot_serial")
        except IngestError as exc:
            return {
                "path": name,
                "status": "rejected",
                "recording_id": None,
                "robot_serial": robot,
                "messages": 0,
                "error": str(exc).replace(str(path), name),
            }
        # The file's own serial unless the form names one; a device token never relabels a recording.
        serial = robot or in_file or principal.robot_serial
        if serial is None:
            raise HTTPException(
                403, "the recording names no robot: give robot_serial in its metadata or the form"
            )
        # a device token never relabels a recording
        for named in sorted(n for n in {serial, in_file} if n is not None):
            if not may_upload_recording(services.engine, principal, named):
                raise HTTPException(
                    403,
                    f"robot {named}: not yours to upload (device tokens: their own "
                    "robot; consortium members: their consortium's robots)",
                )
        result = services.intake.take(path, overrides=Overrides(robot_serial=serial), actor=principal.name)
        shutil.rmtree(tmp, ignore_errors=True)
    out = result.to_json()
    out["path"] = name
    if out["error"]:
        out["error"] = out["error"].replace(str(path), name)
    return out
