"""Settings of one web application: where its data lives and how its cookies are signed."""

import os
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from robotwork.accounts import parse_duration


def _duration_env(name: str, default: str) -> timedelta:
    """A session limit from the environment (e.g. ``ROBOTWORK_SESSION_IDLE=30m``), else `default`."""
    return parse_duration(os.environ.get(name) or default)


@dataclass(frozen=True)
class Settings:
    """Everything `create_app` needs; tests build one per app on a temporary database."""

    home: Path
    db_url: str | None = None
    store_url: str | None = None
    policy_path: Path | None = None
    secret_key: str | None = None
    secure_cookies: bool = True
    max_upload_bytes: int = 2 * 1024**3
    # worker processes that ingest queued uploads (docs/ingest.md); Ray scales it further
    ingest_workers: int = 2
    # A browser session ends after this long without a request, and this long after login.
    session_idle: timedelta = field(default_factory=lambda: _duration_env("ROBOTWORK_SESSION_IDLE", "12h"))
    session_absolute: timedelta = field(default_factory=lambda: _duration_env("ROBOTWORK_SESSION_MAX", "7d"))

    def signing_key(self) -> str:
        """The cookie-signing key: given, or kept in HOME/secret.key (made on first use)."""
        if self.secret_key:
            return self.secret_key
        path = self.home / "secret.key"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()
