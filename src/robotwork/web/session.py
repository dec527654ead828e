"""Browser sessions: kept on the server, named by a signed cookie, ended by logout or by time.

The cookie carries only a random session key (signed, so a forged one is refused before the
database is asked). The registry keeps the session (by the key's SHA-256), its user, CSRF token
and language; logging out, disabling the user or a new password ends it on the server, so a
copied cookie stops working. A session also ends after `idle` without a request and `absolute`
after it began (12 hours and 7 days by default; see `Settings`).

Unsafe requests authenticated by the cookie must echo the CSRF token (header ``X-CSRF-Token``
or form field ``csrf_token``); bearer-token requests carry no cookie and need none.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from robotwork.registry.models import UserSession

COOKIE = "robotwork_session"
# How stale `seen_at` may get before a request writes it again (one write a minute, not per request).
_TOUCH = timedelta(seconds=60)


@dataclass(frozen=True)
class SessionData:
    """What a live session holds."""

    username: str
    csrf: str
    lang: str = "zh"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Sessions:
    """Issues, reads and ends the sessions of one app (its key, its registry, its time limits)."""

    def __init__(self, key: str, engine: Engine, *, idle: timedelta, absolute: timedelta) -> None:
        self._serializer = URLSafeSerializer(key, salt="robotwork-session")
        self._engine, self.idle, self.absolute = engine, idle, absolute

    @property
    def max_age_s(self) -> int:
        """The cookie's lifetime in the browser: the absolute limit (the server enforces both)."""
        return int(self.absolute.total_seconds())

    def issue(self, username: str, lang: str = "zh", address: str | None = None) -> tuple[str, SessionData]:
        """A new session (fresh key and CSRF token) and its cookie value."""
        key, now = secrets.token_urlsafe(32), datetime.now(UTC)
        data = SessionData(username, secrets.token_urlsafe(24), lang)
        row = UserSession(
            id=_digest(key),
            username=username,
            csrf=data.csrf,
            lang=lang,
            address=address[:64] if address else None,
            created_at=now,
            seen_at=now,
        )
        with Session(self._engine) as session, session.begin():
            session.add(row)
        return self._serializer.dumps({"k": key}), data

    def read(self, cookie: str | None) -> SessionData | None:
        """The live session a cookie names, or None when absent, forged, ended or expired."""
        key = self._key(cookie)
        if key is None:
            return None
        now = datetime.now(UTC)
        with Session(self._engine) as session, session.begin():
            row = session.get(UserSession, _digest(key))
            if row is None or row.ended_at is not None:
                return None
            if now - _aware(row.seen_at) > self.idle or now - _aware(row.created_at) > self.absolute:
                row.ended_at = now
                return None
            if now - _aware(row.seen_at) > _TOUCH:
                row.seen_at = now
            return SessionData(row.username, row.csrf, row.lang)

    def end(self, cookie: str | None) -> str | None:
        """End the session a cookie names (logout); the user's name, or None if there was none."""
        key = self._key(cookie)
        if key is None:
            return None
        with Session(self._engine) as session, session.begin():
            row = session.get(UserSession, _digest(key))
            if row is None or row.ended_at is not None:
                return None
            row.ended_at = datetime.now(UTC)
            return row.username

    def _key(self, cookie: str | None) -> str | None:
        if not cookie or len(cookie) > 512:
            return None
        try:
            raw = self._serializer.loads(cookie)
        except (BadSignature, UnicodeError, ValueError):
            return None
        key = raw.get("k") if isinstance(raw, dict) else None
        return key if isinstance(key, str) else None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
