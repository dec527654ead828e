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
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Engine

from robotwork.registry.sessions import SessionRow, begin_session, end_session, live_session

COOKIE = "robotwork_session"
# How stale `seen_at` may get before a request writes it again (one write a minute, not per request).
_TOUCH = timedelta(seconds=60)


class Sessions:
    """Issues, reads and ends the sessions of one app (its key, its registry, its time limits)."""

    def __init__(self, key: str, engine: Engine, *, idle: timedelta, absolute: timedelta) -> None:
        self._serializer = URLSafeSerializer(key, salt="robotwork-session")
        self._engine, self.idle, self.absolute = engine, idle, absolute

    @property
    def max_age_s(self) -> int:
        """The cookie's lifetime in the browser: the absolute limit (the server enforces both)."""
        return int(self.absolute.total_seconds())

    def issue(self, username: str, lang: str = "zh", address: str | None = None) -> tuple[str, SessionRow]:
        """A new session (fresh key and CSRF token) and its cookie value."""
        key = secrets.token_urlsafe(32)
        data = SessionRow(username, secrets.token_urlsafe(24), lang)
        begin_session(self._engine, _digest(key), data, address, datetime.now(UTC))
        return self._serializer.dumps({"k": key}), data

    def read(self, cookie: str | None) -> SessionRow | None:
        """The live session a cookie names, or None when absent, forged, ended or expired."""
        key = self._key(cookie)
        if key is None:
            return None
        now = datetime.now(UTC)
        return live_session(
            self._engine, _digest(key), now, idle=self.idle, absolute=self.absolute, touch=_TOUCH
        )

    def end(self, cookie: str | None) -> str | None:
        """End the session a cookie names (logout); the user's name, or None if there was none."""
        key = self._key(cookie)
        return None if key is None else end_session(self._engine, _digest(key), datetime.now(UTC))

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
