"""The browser sessions table: a session begun, read (and ended when it has expired) and ended.

The web layer names a session by a signed cookie and passes only the key's digest here; this
module decides, in one transaction each, whether the row still stands, so a logout or an expiry
seen by one server process holds for every other.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from robotwork.registry.models import UserSession


@dataclass(frozen=True)
class SessionRow:
    """What a live session holds."""

    username: str
    csrf: str
    lang: str = "zh"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def begin_session(engine: Engine, digest: str, row: SessionRow, address: str | None, now: datetime) -> None:
    """Store a new session under `digest` (the SHA-256 of its key)."""
    with Session(engine) as session, session.begin():
        session.add(
            UserSession(
                id=digest,
                username=row.username,
                csrf=row.csrf,
                lang=row.lang,
                address=address[:64] if address else None,
                created_at=now,
                seen_at=now,
            )
        )


def live_session(
    engine: Engine, digest: str, now: datetime, *, idle: timedelta, absolute: timedelta, touch: timedelta
) -> SessionRow | None:
    """The session under `digest` if it stands: not ended, used within `idle`, begun within
    `absolute` (else it is ended now). Its last use is written at most once per `touch`."""
    with Session(engine) as session, session.begin():
        row = session.get(UserSession, digest)
        if row is None or row.ended_at is not None:
            return None
        if now - _aware(row.seen_at) > idle or now - _aware(row.created_at) > absolute:
            row.ended_at = now
            return None
        if now - _aware(row.seen_at) > touch:
            row.seen_at = now
        return SessionRow(row.username, row.csrf, row.lang)


def end_session(engine: Engine, digest: str, now: datetime) -> str | None:
    """End the session under `digest` (logout); its user's name, or None if none stood."""
    with Session(engine) as session, session.begin():
        row = session.get(UserSession, digest)
        if row is None or row.ended_at is not None:
            return None
        row.ended_at = now
        return row.username
