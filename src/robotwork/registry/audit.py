"""The audit trail: every write and every sign-in attempt, with who, when, from where and what.

The registry's change history (`Change`) keeps old and new values of registry rows; this trail
keeps the acts themselves, refused ones included (a failed login, a forbidden import), which is
what a ministry shows an inspector. Failed logins recorded here are also what login rate
limiting counts, so the limit holds across processes.
"""

import socket
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from robotwork.registry.models import AuditEvent

LOCAL_ADDRESS = f"cli@{socket.gethostname()}"[:64]
_TEXT_LIMIT = 300


def record(
    engine: Engine,
    *,
    actor: str,
    action: str,
    outcome: str = "ok",
    address: str | None = LOCAL_ADDRESS,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one event in its own transaction (so a refused write is recorded though it rolled back)."""
    with Session(engine) as session, session.begin():
        add(
            session,
            actor=actor,
            action=action,
            outcome=outcome,
            address=address,
            target=target,
            detail=detail,
        )


def add(
    session: Session,
    *,
    actor: str,
    action: str,
    outcome: str = "ok",
    address: str | None = LOCAL_ADDRESS,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one event to `session`'s transaction (it commits or rolls back with the write it is about)."""
    session.add(
        AuditEvent(
            at=datetime.now(UTC),
            actor=actor[:120],
            action=action[:64],
            outcome=outcome[:16],
            address=address[:64] if address else None,
            target=target[:_TEXT_LIMIT] if target else None,
            detail=detail or {},
        )
    )


def failures_since(
    session: Session, since: datetime, *, actor: str | None = None, address: str | None = None
) -> int:
    """Failed logins since `since`, of one account or from one address."""
    query = select(func.count()).where(
        AuditEvent.action == "login", AuditEvent.outcome == "refused", AuditEvent.at >= since
    )
    if actor is not None:
        query = query.where(AuditEvent.actor == actor[:120])
    if address is not None:
        query = query.where(AuditEvent.address == address[:64])
    return int(session.scalar(query) or 0)


def event_json(event: AuditEvent) -> dict[str, Any]:
    """An event as `robotwork audit --json`, the API and the audit page show it."""
    return {
        "id": event.id,
        "at": event.at.isoformat(timespec="seconds"),
        "actor": event.actor,
        "action": event.action,
        "outcome": event.outcome,
        "address": event.address,
        "target": event.target,
        "detail": dict(event.detail or {}),
    }


def list_events(
    engine: Engine,
    *,
    since: datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Events newest first, optionally since a time, of one actor, of one kind of act."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if actor is not None:
        query = query.where(AuditEvent.actor == actor)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    with Session(engine) as session:
        return [event_json(e) for e in session.scalars(query)]
