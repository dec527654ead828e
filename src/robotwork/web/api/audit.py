"""The audit trail over the API, for the ministry (the rows of `robotwork audit --json`)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from robotwork.read.audit import AuditList, audit_events
from robotwork.web.deps import AuditReader, ServicesDep

router = APIRouter(tags=["audit"])


@router.get("/audit")
def get_audit(
    services: ServicesDep,
    _scope: AuditReader,
    since: datetime | None = None,
    actor: Annotated[str | None, Query(max_length=120)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> AuditList:
    """Writes and logins, newest first: who, when, from which address, what, and the outcome."""
    return audit_events(services.engine, since=since, actor=actor, action=action, limit=limit)
