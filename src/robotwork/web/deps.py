"""Request dependencies, as `Annotated` aliases: the app's services and who is asking."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine

from robotwork.access import ReadScope, read_scope, role_of
from robotwork.accounts import Principal, principal_of_user, resolve_token
from robotwork.ingest.pipeline import IngestResult, Overrides
from robotwork.intake import Intake
from robotwork.policy import Policy
from robotwork.registry.sessions import SessionRow
from robotwork.store.telemetry import TelemetryStore
from robotwork.web.session import COOKIE, Sessions
from robotwork.web.workers import IngestWorkers

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
    workers: IngestWorkers

    def today(self) -> date:
        """Today in the program's time zone."""
        return datetime.now(self.policy.zone).date()

    def queue_upload(
        self, recording_id: str, source: str, name: str, *, serial: str, actor: str
    ) -> IngestResult:
        """Queue the job of an upload kept in the inbox and hand it to the workers (the API and
        the upload page both come here); a job already known is answered with its state."""
        result = self.intake.queue(
            recording_id, source, name, overrides=Overrides(robot_serial=serial), actor=actor
        )
        if result.status == "received":
            self.workers.submit(recording_id)
        return result


def get_services(request: Request) -> Services:
    """The app's services."""
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def session_of(request: Request, services: ServicesDep) -> SessionRow | None:
    """The live browser session of the request, if any (read once per request)."""
    if not hasattr(request.state, "session"):
        request.state.session = services.sessions.read(request.cookies.get(COOKIE))
    return request.state.session


SessionDep = Annotated[SessionRow | None, Depends(session_of)]


class NotLoggedIn(Exception):
    """Raised for a request without valid credentials; pages redirect, the API answers 401."""


async def _csrf_ok(request: Request, session: SessionRow) -> bool:
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get("csrf_token")  # type: ignore[assignment]
    return sent == session.csrf


async def current_principal(request: Request, services: ServicesDep, session: SessionDep) -> Principal:
    """Who is asking: a bearer token, or a session cookie (with CSRF on unsafe requests).

    Any credential that is not good (malformed, unknown, revoked, expired, a disabled user, an
    ended session) is a `NotLoggedIn` (401), never an error."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        # registry calls go to the thread pool: on the event loop a wait for the database (a
        # writer holding SQLite's lock) would hold up every other request, /health included
        principal = await run_in_threadpool(resolve_token, services.engine, header[7:].strip())
        if principal is None:
            raise NotLoggedIn("invalid, expired or revoked token")
    elif session is None:
        raise NotLoggedIn("not logged in")
    else:
        principal = await run_in_threadpool(principal_of_user, services.engine, session.username)
        if principal is None:
            raise NotLoggedIn("unknown or disabled user")
        if request.method in UNSAFE and not await _csrf_ok(request, session):
            raise HTTPException(403, "CSRF token missing or wrong")
    request.state.principal = principal  # for the audit trail of this request
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


def scope_of(principal: PrincipalDep, services: ServicesDep) -> ReadScope:
    """What the principal may read (`access.reads`), computed once per request."""
    return read_scope(services.engine, principal)


ScopeDep = Annotated[ReadScope, Depends(scope_of)]


def reader_of(action: str) -> Callable[[ScopeDep], ReadScope]:
    """A dependency that refuses (403) a principal that may not read `action` at all."""

    def require(scope: ScopeDep) -> ReadScope:
        if not scope.may(action):
            raise HTTPException(403, f"{role_of(scope.principal)} may not read {action}")
        return scope

    return require


FiguresReader = Annotated[ReadScope, Depends(reader_of("figures"))]
RobotsReader = Annotated[ReadScope, Depends(reader_of("robots"))]
RecordingsReader = Annotated[ReadScope, Depends(reader_of("recordings"))]
FlagsReader = Annotated[ReadScope, Depends(reader_of("flags"))]
DatasetsReader = Annotated[ReadScope, Depends(reader_of("datasets"))]
AuditReader = Annotated[ReadScope, Depends(reader_of("audit"))]
