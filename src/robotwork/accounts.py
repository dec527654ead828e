"""Accounts, roles and tokens: who may read and write what.

Passwords and token secrets are kept only as scrypt hashes (slow and memory-hard, in the
standard library). A token reads ``rwt_{id}_{secret}``: the id finds the row, the secret is
checked against its hash, so no token is ever stored in the clear.
"""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from robotwork.errors import RobotworkError, UnknownRecord
from robotwork.live.broker import remember_device_token, sync_broker
from robotwork.registry.models import ApiToken, Consortium, Organization, Robot, User

ROLES = ("ministry", "province", "central_soe", "consortium")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_secret(secret: str) -> str:
    """A salted scrypt hash, as ``scrypt$n$r$p$salt$hash`` (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, dklen=32, **_SCRYPT)
    enc = base64.b64encode
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${enc(salt).decode()}${enc(digest).decode()}"


def verify_secret(secret: str, stored: str) -> bool:
    """Whether `secret` matches a hash made by `hash_secret` (constant-time comparison)."""
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
        return cls("user", user.username, user.role, user.org_code, user.consortium_id)


def add_user(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    *,
    org: str | None = None,
    consortium: str | None = None,
) -> User:
    """Create or update a user; the organization or consortium must exist and fit the role."""
    if role not in ROLES:
        raise RobotworkError(f"role {role!r}: not one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise RobotworkError("password: at least 8 characters")
    with Session(engine) as session, session.begin():
        if role in ("province", "central_soe"):
            found = session.get(Organization, org) if org else None
            if found is None or found.kind != role:
                raise RobotworkError(f"--org {org!r}: a {role} officer needs the code of a {role}")
        if role == "consortium" and (not consortium or session.get(Consortium, consortium) is None):
            raise RobotworkError(f"--consortium {consortium!r}: no such consortium")
        user = session.get(User, username) or User(username=username, created_at=datetime.now(UTC))
        user.password_hash, user.role = hash_secret(password), role
        user.org_code = org if role in ("province", "central_soe") else None
        user.consortium_id = consortium if role == "consortium" else None
        session.add(user)
    return user


def authenticate(engine: Engine, username: str, password: str) -> Principal | None:
    """The user's principal when the password matches, else None."""
    with Session(engine) as session:
        user = session.get(User, username)
        if user is None or not verify_secret(password, user.password_hash):
            return None
        return Principal.of(user)


def principal_of_user(engine: Engine, username: str) -> Principal | None:
    """The principal of a user known by name (a session cookie carries only the name)."""
    with Session(engine) as session:
        user = session.get(User, username)
        return Principal.of(user) if user else None


def create_token(
    engine: Engine, *, username: str | None = None, robot: str | None = None, label: str | None = None
) -> str:
    """A new bearer token for a user or for one robot's device; shown once, stored hashed."""
    if (username is None) == (robot is None):
        raise RobotworkError("a token is for a user (--user) or for a robot's device (--robot)")
    secret = secrets.token_urlsafe(24)
    with Session(engine) as session, session.begin():
        if username and session.get(User, username) is None:
            raise UnknownRecord(f"user {username!r}: no such user")
        if robot and session.get(Robot, robot) is None:
            raise UnknownRecord(f"robot {robot!r}: not in the registry")
        token = ApiToken(
            secret_hash=hash_secret(secret),
            username=username,
            robot_serial=robot,
            label=label,
            created_at=datetime.now(UTC),
        )
        session.add(token)
        session.flush()
        token_id = token.id
        if robot:  # the broker's hash can only be made now, while the clear token exists
            remember_device_token(session, token_id, robot, f"rwt_{token_id}_{secret}")
    if robot:
        sync_broker(engine)
    return f"rwt_{token_id}_{secret}"


def resolve_token(engine: Engine, token: str) -> Principal | None:
    """The principal a bearer token stands for, or None when it is unknown or revoked."""
    try:
        prefix, token_id, secret = token.split("_", 2)
        number = int(token_id)
    except ValueError:
        return None
    if prefix != "rwt":
        return None
    with Session(engine) as session:
        row = session.get(ApiToken, number)
        if row is None or row.revoked_at is not None or not verify_secret(secret, row.secret_hash):
            return None
        if row.robot_serial:
            return Principal("device", f"device:{row.robot_serial}", robot_serial=row.robot_serial)
        user = session.get(User, row.username)
        return Principal.of(user) if user else None
