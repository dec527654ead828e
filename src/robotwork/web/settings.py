"""Settings of one web application: where its data lives and how its cookies are signed."""

import secrets
from dataclasses import dataclass
from pathlib import Path


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
