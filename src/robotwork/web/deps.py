"""Request dependencies, as `Annotated` aliases: the app's services and who is asking."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy import Engine

from robotwork.accounts import Principal, principal_of_user, resolve_token
from robotwork.intake import Intake
from robotwork.policy import Policy
from robotwork.store.telemetry import TelemetryStore
from robotwork.web.session import COOKIE, SessionData, Sessions

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Services:
    """What the app was built with; one per app, kept in ``app.state.services``."""

    engine: Engine
    store: TelemetryStore
    policy: Policy
    sessions: Sessions
    secure_cookies: bool
    intake: Intake

    def today(self) -> date:
        """Today in the program's time zone."""
        return datetime.now(self.policy.zone).date()


def get_services(request: Request) -> Services:
    """The app's services."""
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def session_of(request: Request, services: ServicesDep) -> SessionData | None:
    """The browser session of the request, if any."""
    return services.sessions.read(request.cookies.get(COOKIE))


SessionDep = Annotated[SessionData | None, Depends(session_of)]


class NotLoggedIn(Exception):
    """Raised for a request without valid credentials; pages redirect, the API answers 401."""


async def _csrf_ok(request: Request, session: SessionData) -> bool:
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get("csrf_token")  # type: ignore[assignment]
    return sent == session.csrf


async def current_principal(request: Request, services: ServicesDep, session: SessionDep) -> Principal:
    """Who is asking: a bearer token, or a session cookie (with CSRF on unsafe requests)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        principal = resolve_token(services.engine, header[7:].strip())
        if principal is None:
            raise NotLoggedIn("invalid or revoked token")
        return principal
    if session is None:
        raise NotLoggedIn("not logged in")
    principal = principal_of_user(services.engine, session.username)
    if principal is None:
        raise NotLoggedIn("unknown user")
    if request.method in UNSAFE and not await _csrf_ok(request, session):
        raise HTTPException(403, "CSRF token missing or wrong")
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_user(principal: PrincipalDep) -> Principal:
    """A person (any role); device tokens may only upload recordings."""
    if principal.kind != "user":
        raise HTTPException(403, "device tokens may only upload their robot's recordings")
    return principal


UserDep = Annotated[Principal, Depends(require_user)]


def require_ministry(principal: UserDep) -> Principal:
    """The ministry role (reads all, clears flags)."""
    if principal.role != "ministry":
        raise HTTPException(403, "only the ministry may do this")
    return principal


MinistryDep = Annotated[Principal, Depends(require_ministry)]
