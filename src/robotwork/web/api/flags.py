"""Integrity flags: listed within the reader's robots, cleared (with a reason) by the ministry."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.evidence.flags import clear_flag, flag_json
from robotwork.registry.models import Flag, Recording
from robotwork.web.audit_trail import audited
from robotwork.web.deps import FlagsReader, MinistryDep, ServicesDep

router = APIRouter(tags=["flags"])


@router.get("/flags")
def list_flags(services: ServicesDep, scope: FlagsReader, include_cleared: bool = False) -> dict[str, Any]:
    """Flagged recordings of the robots in the reader's scope, with the evidence behind each flag."""
    query = select(Flag, Recording).join(Recording, Recording.recording_id == Flag.recording_id)
    if scope.robots is not None:
        query = query.where(Recording.robot_serial.in_(sorted(scope.robots)))
    if not include_cleared:
        query = query.where(Flag.cleared_at.is_(None))
    with Session(services.engine) as session:
        return {"rows": [flag_json(f, r) for f, r in session.execute(query.order_by(Flag.id))]}


class ClearIn(BaseModel):
    """Why the flagged recording may count after all."""

    reason: str = Field(min_length=1, max_length=2000)


@router.post("/flags/{flag_id}/clear")
def clear(
    request: Request,
    flag_id: Annotated[int, Path(ge=1, le=2**31)],
    body: ClearIn,
    services: ServicesDep,
    principal: MinistryDep,
) -> dict[str, Any]:
    """Clear a flag (ministry only); the change history records who and why."""
    with Session(services.engine) as session, session.begin():
        address = audited(request)
        flag = clear_flag(session, flag_id, reason=body.reason, actor=principal.name, address=address)
        rec = session.get_one(Recording, flag.recording_id)
        return flag_json(flag, rec)
