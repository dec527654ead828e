"""Integrity flags: listed within the reader's robots, cleared (with a reason) by the ministry."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from robotwork.read.flag import Flag, FlagList, clear_flag_as, list_flags
from robotwork.web.audit_trail import audited
from robotwork.web.deps import FlagsReader, MinistryDep, ServicesDep

router = APIRouter(tags=["flags"])


@router.get("/flags")
def get_flags(services: ServicesDep, scope: FlagsReader, include_cleared: bool = False) -> FlagList:
    """Flagged recordings of the robots in the reader's scope, with the evidence behind each flag."""
    return list_flags(services.engine, scope, include_cleared=include_cleared)


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
) -> Flag:
    """Clear a flag (ministry only); the change history records who and why."""
    address = audited(request)
    return clear_flag_as(services.engine, flag_id, reason=body.reason, actor=principal.name, address=address)
