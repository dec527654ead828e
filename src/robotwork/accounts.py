"""Accounts, roles and tokens: who may read and write what.

Passwords and token secrets are kept only as scrypt hashes (slow and memory-hard, in the
standard library). A token reads ``rwt_{id}_{secret}``: the id finds the row, the secret is
checked against its hash, so no token is ever stored in the clear. Every change to an account
or token, and every login attempt, goes to the audit trail; the CLI and the web call these
functions and nothing else, so a hook on token creation or revocation (the MQTT broker's
password file) belongs here.
"""

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from robotwork.errors import RobotworkError, UnknownRecord
from robotwork.live.broker import remember_device_token, sync_broker
from robotwork.registry import audit
from robotwork.registry.models import ApiToken, Consortium, Organization, Robot, User, UserSession

ROLES = ("ministry", "province", "central_soe", "consortium", "algorithm_team")
# Roles bound to one organization (its code on the user), and the kind that organization must be.
ORG_ROLES = {"province": "province", "central_soe": "central_soe", "algorithm_team": "algorithm_team"}
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
# Failed logins allowed in the window, per account and per address, before logins are refused.
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_FAILURES_PER_ACCOUNT = 5
LOGIN_FAILURES_PER_ADDRESS = 20
_MAX_TOKEN_ID = 2**31 - 1  # the id column is a 32-bit integer on every database
_DURATION = re.compile(r"^\s*(\d{1,6})\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def hash_secret(secret: str) -> str:
    """A salted scrypt hash, as ``scrypt$n$r$p$salt$hash`` (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, dklen=32, **_SCRYPT)
    enc = base64.b64encode
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${enc(salt).decode()}${enc(digest).decode()}"


def hash_token_secret(secret: str) -> str:
    """The hash a token's secret is kept as: SHA-256, as ``sha256$hex``.

    A token secret is 192 random bits, so no guessing can reach it and a slow hash buys
    nothing; scrypt (tens of milliseconds of CPU) on every API request would be most of the
    request's cost, and a device uploads all day. Passwords, chosen by people, keep scrypt.
    """
    return "sha256$" + hashlib.sha256(secret.encode()).hexdigest()


def verify_secret(secret: str, stored: str) -> bool:
    """Whether `secret` matches a hash made by `hash_secret` or `hash_token_secret` (tokens
    made before the latter still carry scrypt hashes), compared in constant time."""
    if stored.startswith("sha256$"):
        return hmac.compare_digest(hash_token_secret(secret), stored)
    try:
        _, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            secret.encode(), salt=base64.b64decode(salt), dklen=len(expected), n=int(n), r=int(r), p=int(p)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user with a role, or a device token bound to one robot."""

    kind: str  # user | device
    name: str
    role: str | None = None
    org_code: str | None = None
    consortium_id: str | None = None
    robot_serial: str | None = None

    @classmethod
    def of(cls, user: User) -> "Principal":
        """The principal of a user row."""
        return cls("user", user.username, user.role, user.org_code, user.consortium_id)


class LoginRefused(RobotworkError):
    """A login refused: wrong name or password (401), or too many failures lately (429)."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


def parse_duration(text: str) -> timedelta:
    """``90d``, ``12h``, ``30m``, ``2w`` or ``45s`` as a time span; anything else is refused."""
    match = _DURATION.match(text)
    if match is None or int(match.group(1)) == 0:
        raise RobotworkError(f"duration {text!r}: a positive number and a unit s, m, h, d or w (e.g. 90d)")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def plausible_name(name: str) -> bool:
    """Whether `name` could be a user name at all: 1 to 120 printable characters. Checked before
    a database lookup, so a hostile name (NUL bytes, megabytes) is refused, never an error."""
    return 0 < len(name) <= 120 and name.isprintable()


def add_user(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    *,
    org: str | None = None,
    consortium: str | None = None,
    actor: str = "robotwork",
    address: str | None = audit.LOCAL_ADDRESS,
) -> User:
    """Create or update a user; the organization or consortium must exist and fit the role."""
    if role not in ROLES:
        raise RobotworkError(f"role {role!r}: not one of {', '.join(ROLES)}")
    if not plausible_name(username) or username != username.strip():
        raise RobotworkError(f"user name {username[:40]!r}: 1 to 120 printable characters, no edge spaces")
    if len(password) < 8:
        raise RobotworkError("password: at least 8 characters")
    with Session(engine) as session, session.begin():
        if role in ORG_ROLES:
            found = session.get(Organization, org) if org else None
            if found is None or found.kind != ORG_ROLES[role]:
                raise RobotworkError(f"--org {org!r}: a {role} account needs the code of a {ORG_ROLES[role]}")
        if role == "consortium" and (not consortium or session.get(Consortium, consortium) is None):
            raise RobotworkError(f"--consortium {consortium!r}: no such consortium")
        user = session.get(User, username)
        created = user is None
        user = user or User(username=username, created_at=datetime.now(UTC))
        user.password_hash, user.role = hash_secret(password), role
        user.org_code = org if role in ORG_ROLES else None
        user.consortium_id = consortium if role == "consortium" else None
        session.add(user)
        _end_sessions(session, username)  # a new password or role ends the sessions of the old
        detail = {"role": role, "org": user.org_code, "consortium": user.consortium_id, "created": created}
        audit.add(session, actor=actor, action="user.add", address=address, target=username, detail=detail)
    return user


def set_disabled(
    engine: Engine, username: str, disabled: bool, *, actor: str, address: str | None = audit.LOCAL_ADDRESS
) -> None:
    """Disable a user (no login; its sessions end; its tokens stop working) or enable it again."""
    with Session(engine) as session, session.begin():
        user = session.get(User, username) if plausible_name(username) else None
        if user is None:
            raise UnknownRecord(f"user {username!r}: no such user")
        user.disabled_at = datetime.now(UTC) if disabled else None
        if disabled:
            _end_sessions(session, username)
        action = "user.disable" if disabled else "user.enable"
        audit.add(session, actor=actor, action=action, address=address, target=username)


def _end_sessions(session: Session, username: str) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.username == username, UserSession.ended_at.is_(None))
        .values(ended_at=datetime.now(UTC))
    )


def _active_user(session: Session, username: str) -> User | None:
    user = session.get(User, username) if plausible_name(username) else None
    return user if user is not None and user.disabled_at is None else None


# Checked when the name is unknown, so a wrong name costs as long as a wrong password.
_DECOY_HASH = hash_secret(secrets.token_urlsafe(16))


def authenticate(engine: Engine, username: str, password: str) -> Principal | None:
    """The user's principal when the password matches and the user is enabled, else None."""
    with Session(engine) as session:
        user = _active_user(session, username)
        if not verify_secret(password[:1024], user.password_hash if user else _DECOY_HASH) or user is None:
            return None
        return Principal.of(user)


def login(engine: Engine, username: str, password: str, *, address: str | None) -> Principal:
    """`authenticate` with rate limiting and the audit trail: refused (429) after too many
    failures of the account or from the address within `LOGIN_WINDOW`, else 401 or the principal."""
    name = username if plausible_name(username) else "(invalid name)"
    since = datetime.now(UTC) - LOGIN_WINDOW
    with Session(engine) as session:
        by_account = audit.failures_since(session, since, actor=name)
        by_address = audit.failures_since(session, since, address=address) if address else 0
    if by_account >= LOGIN_FAILURES_PER_ACCOUNT or by_address >= LOGIN_FAILURES_PER_ADDRESS:
        audit.record(engine, actor=name, action="login", outcome="limited", address=address)
        minutes = int(LOGIN_WINDOW.total_seconds() // 60)
        raise LoginRefused(f"too many failed logins; try again in {minutes} minutes", 429)
    principal = authenticate(engine, username, password)
    audit.record(
        engine, actor=name, action="login", outcome="refused" if principal is None else "ok", address=address
    )
    if principal is None:
        raise LoginRefused("wrong user name or password, or the account is disabled")
    return principal


def principal_of_user(engine: Engine, username: str) -> Principal | None:
    """The principal of an enabled user known by name (a session knows only the name)."""
    with Session(engine) as session:
        user = _active_user(session, username)
        return Principal.of(user) if user else None


def create_token(
    engine: Engine,
    *,
    username: str | None = None,
    robot: str | None = None,
    label: str | None = None,
    expires: timedelta | None = None,
    actor: str = "robotwork",
    address: str | None = audit.LOCAL_ADDRESS,
) -> str:
    """A new bearer token for a user or for one robot's device, valid until revoked or, with
    `expires`, for that long; shown once, stored hashed."""
    if (username is None) == (robot is None):
        raise RobotworkError("a token is for a user (--user) or for a robot's device (--robot)")
    secret = secrets.token_urlsafe(24)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        if username and session.get(User, username) is None:
            raise UnknownRecord(f"user {username!r}: no such user")
        if robot and session.get(Robot, robot) is None:
            raise UnknownRecord(f"robot {robot!r}: not in the registry")
        token = ApiToken(
            secret_hash=hash_token_secret(secret),
            username=username,
            robot_serial=robot,
            label=label,
            created_at=now,
            expires_at=now + expires if expires else None,
        )
        session.add(token)
        session.flush()
        token_id = token.id
        if robot:  # the broker's hash can only be made now, while the clear token exists
            remember_device_token(session, token_id, robot, f"rwt_{token_id}_{secret}")
        detail = {"user": username, "robot": robot, "label": label, "expires_at": _iso(token.expires_at)}
        audit.add(
            session, actor=actor, action="token.create", address=address, target=str(token_id), detail=detail
        )
    if robot:
        sync_broker(engine)
    return f"rwt_{token_id}_{secret}"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def token_state(token: ApiToken, now: datetime) -> str:
    """active, revoked or expired."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and _aware(token.expires_at) <= now:
        return "expired"
    return "active"


def list_tokens(engine: Engine) -> list[dict[str, Any]]:
    """Every token (never its secret): whose, what for, since when, until when, and its state."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        return [
            {
                "id": t.id,
                "user": t.username,
                "robot": t.robot_serial,
                "label": t.label,
                "created_at": _iso(_aware(t.created_at)),
                "expires_at": _iso(_aware(t.expires_at)) if t.expires_at else None,
                "revoked_at": _iso(_aware(t.revoked_at)) if t.revoked_at else None,
                "state": token_state(t, now),
            }
            for t in session.scalars(select(ApiToken).order_by(ApiToken.id))
        ]


def revoke_token(
    engine: Engine, token_id: int, *, actor: str, address: str | None = audit.LOCAL_ADDRESS
) -> ApiToken:
    """Revoke a token at once (revoking it again changes nothing); the revoked row is returned
    so a caller can follow up (a device token's robot)."""
    with Session(engine) as session, session.begin():
        token = session.get(ApiToken, token_id) if 0 < token_id <= _MAX_TOKEN_ID else None
        if token is None:
            raise UnknownRecord(f"token {token_id}: no such token")
        if token.revoked_at is None:
            token.revoked_at = datetime.now(UTC)
            audit.add(session, actor=actor, action="token.revoke", address=address, target=str(token_id))
        session.flush()
        session.expunge(token)
    if token.robot_serial:
        sync_broker(engine)  # the broker refuses the robot's token from now on
    return token


def _token_id(token: str) -> tuple[int, str] | None:
    """The id and secret of a well-formed ``rwt_{id}_{secret}``, else None (never an error)."""
    prefix, _, rest = token.partition("_")
    token_id, _, secret = rest.partition("_")
    if (
        prefix != "rwt"
        or not secret
        or not token_id.isascii()
        or not token_id.isdigit()
        or len(token_id) > 10
    ):
        return None
    number = int(token_id)
    return (number, secret) if 0 < number <= _MAX_TOKEN_ID else None


def resolve_token(engine: Engine, token: str) -> Principal | None:
    """The principal a bearer token stands for, or None when it is malformed, unknown, revoked,
    expired, or its user is disabled."""
    parsed = _token_id(token) if len(token) <= 200 else None
    if parsed is None:
        return None
    with Session(engine) as session:
        row = session.get(ApiToken, parsed[0])
        if row is None or token_state(row, datetime.now(UTC)) != "active":
            return None
        if not verify_secret(parsed[1], row.secret_hash):
            return None
        if row.robot_serial:
            return Principal("device", f"device:{row.robot_serial}", robot_serial=row.robot_serial)
        user = _active_user(session, row.username or "")
        return Principal.of(user) if user else None
