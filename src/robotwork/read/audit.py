"""The audit trail as the ministry reads it: the rows of `robotwork audit --json`, typed."""

from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from robotwork.read.models import ReadModel
from robotwork.registry.audit import list_events


class AuditEvent(ReadModel):
    """One write or sign-in attempt: who, when, from which address, what, and how it ended."""

    id: int
    at: str
    actor: str
    action: str
    outcome: str
    address: str | None
    target: str | None
    detail: dict[str, Any]


class AuditList(ReadModel):
    """Events newest first."""

    rows: list[AuditEvent]


def audit_events(
    engine: Engine, *, since: datetime | None, actor: str | None, action: str | None, limit: int
) -> AuditList:
    """Events newest first, since a time, of one actor, of one kind of act (at most `limit`)."""
    rows = list_events(engine, since=since, actor=actor, action=action, limit=limit)
    return AuditList(rows=[AuditEvent.model_validate(r) for r in rows])
