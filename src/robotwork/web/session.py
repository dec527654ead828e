"""Browser sessions: a signed cookie with the user's name and a CSRF token.

Unsafe requests authenticated by the cookie must echo the CSRF token (header ``X-CSRF-Token``
or form field ``csrf_token``); bearer-token requests carry no cookie and need none.
"""

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

COOKIE = "robotwork_session"
MAX_AGE_S = 12 * 3600


@dataclass(frozen=True)
class SessionData:
    """What the session cookie holds."""

    username: str
    csrf: str
    lang: str = "zh"


class Sessions:
    """Signs and reads session cookies with the app's key."""

    def __init__(self, key: str) -> None:
        self._serializer = URLSafeTimedSerializer(key, salt="robotwork-session")

    def issue(self, username: str, lang: str = "zh") -> tuple[str, SessionData]:
        """A new session (fresh CSRF token) and its cookie value."""
        data = SessionData(username, secrets.token_urlsafe(24), lang)
        return self._serializer.dumps({"u": data.username, "c": data.csrf, "l": data.lang}), data

    def read(self, cookie: str | None) -> SessionData | None:
        """The session a cookie carries, or None when absent, forged or expired."""
        if not cookie:
            return None
        try:
            raw = self._serializer.loads(cookie, max_age=MAX_AGE_S)
        except (BadSignature, SignatureExpired):
            return None
        return SessionData(raw["u"], raw["c"], raw.get("l", "zh"))
