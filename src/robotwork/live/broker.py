"""The broker's view of device tokens: a Mosquitto password file kept in step with the registry.

A robot logs in to MQTT with username = its serial and password = its device token, and the
ACL (``pattern write robotwork/v1/%u/#``, written by scripts/mosquitto.sh) lets it publish only
under its own serial. Mosquitto checks passwords against PBKDF2-SHA512 hashes (its ``$7$``
format), and the clear token exists only when it is created, so `remember_device_token` stores
that hash then; `sync_broker` writes the password file from the tokens still usable (not revoked,
not expired) and tells Mosquitto to reload it (SIGHUP). A serial has one password in Mosquitto,
so its newest usable token is the one the broker accepts.
"""

import base64
import hashlib
import logging
import os
import re
import secrets
import signal
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.live.models import BrokerCredential
from robotwork.registry.models import ApiToken

log = logging.getLogger(__name__)
BROKER_DIR_ENV = "ROBOTWORK_BROKER_DIR"
PASSWORDS, SERVICE_PASSWORDS, PID_FILE, SUBSCRIBER_SECRET = (
    "passwords",
    "service-passwords",
    "mosquitto.pid",
    "subscriber.secret",
)
SUBSCRIBER_USER = "robotwork"
_ITERATIONS = 101  # Mosquitto 2's own choice for its $7$ hashes
_USERNAME = re.compile(r"[^:+#/\s]{1,64}")  # what can be both a Mosquitto user and a topic level


def broker_dir() -> Path:
    """Folder of the broker's password file, ACL and pid file: ``$ROBOTWORK_BROKER_DIR``, else
    ``~/.robotwork/mosquitto`` (scripts/mosquitto.sh uses the same rule)."""
    return Path(os.environ.get(BROKER_DIR_ENV) or Path.home() / ".robotwork" / "mosquitto")


def mosquitto_hash(password: str, *, salt: bytes | None = None) -> str:
    """`password` hashed as Mosquitto 2 checks it: ``$7$iterations$salt$pbkdf2-sha512`` (base64)."""
    salt = salt if salt is not None else secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, _ITERATIONS)
    enc = base64.b64encode
    return f"$7${_ITERATIONS}${enc(salt).decode()}${enc(digest).decode()}"


def remember_device_token(session: Session, token_id: int, robot_serial: str, token: str) -> None:
    """Keep the broker's hash of a new device token (called inside the token's transaction)."""
    session.add(
        BrokerCredential(
            token_id=token_id,
            robot_serial=robot_serial,
            password_hash=mosquitto_hash(token),
            created_at=datetime.now(UTC),
        )
    )


def _usable(token: ApiToken, now: datetime) -> bool:
    expires = token.expires_at
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)  # SQLite hands back naive UTC datetimes
    return token.revoked_at is None and (expires is None or expires > now)


def device_passwords(engine: Engine) -> dict[str, str]:
    """Serial -> broker hash of its newest usable device token."""
    now = datetime.now(UTC)
    query = (
        select(BrokerCredential, ApiToken)
        .join(ApiToken, ApiToken.id == BrokerCredential.token_id)
        .order_by(BrokerCredential.created_at, BrokerCredential.token_id)
    )
    found: dict[str, str] = {}
    with Session(engine) as session:
        for credential, token in session.execute(query):
            if not _usable(token, now):
                continue
            if not _USERNAME.fullmatch(credential.robot_serial):
                log.warning(
                    "robot serial %r cannot be an MQTT user name; no broker login", credential.robot_serial
                )
                continue
            found[credential.robot_serial] = credential.password_hash
    return found


def sync_broker(engine: Engine, folder: Path | None = None) -> int | None:
    """Rewrite the broker's password file from the registry and have Mosquitto reload it.

    The file is the service accounts (``service-passwords``, robotwork's own subscriber, kept
    by scripts/mosquitto.sh) followed by one line per robot. Returns the number of robots that
    may log in, or None when no broker is set up in `folder` (then there is nothing to keep in
    step, and creating a token must not fail for it).
    """
    folder = folder or broker_dir()
    service = folder / SERVICE_PASSWORDS
    if not service.is_file():
        return None
    devices = device_passwords(engine)
    lines = [line for line in service.read_text().splitlines() if line.strip()]
    lines += [f"{serial}:{digest}" for serial, digest in sorted(devices.items())]
    text = "\n".join(lines) + "\n"
    target = folder / PASSWORDS
    if target.is_file() and target.read_text() == text:
        return len(devices)
    staged = folder / f".{PASSWORDS}.{os.getpid()}"
    staged.write_text(text)
    staged.chmod(0o600)
    os.replace(staged, target)
    _reload(folder)
    return len(devices)


def _reload(folder: Path) -> None:
    """SIGHUP the broker of `folder` (it re-reads its password file and ACL)."""
    try:
        pid = int((folder / PID_FILE).read_text().strip())
        os.kill(pid, signal.SIGHUP)
    except (OSError, ValueError) as exc:
        log.warning("broker in %s not reloaded (%s); it reads the new passwords when it starts", folder, exc)


def subscriber_password(folder: Path | None = None) -> str | None:
    """The password scripts/mosquitto.sh gave robotwork's own subscriber, if it set one up."""
    path = (folder or broker_dir()) / SUBSCRIBER_SECRET
    return path.read_text().strip() if path.is_file() else None
