"""The web side of the audit trail: the caller's address, and a record of every unsafe request.

Handlers that record an act themselves (an import with its counts, a login, a flag cleared)
mark the request `audited`; every other unsafe request (an upload, a refused write) is
recorded by `record_unsafe_requests` with who, from where, which route and the status.
"""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool

from robotwork.registry import audit
from robotwork.web.deps import UNSAFE


def client_address(request: Request) -> str | None:
    """The address the request came from (the peer; a proxy in front is the proxy's address)."""
    return request.client.host if request.client else None


def audited(request: Request) -> str | None:
    """Mark the request as recorded by its handler, and give the address to record."""
    request.state.audited = True
    return client_address(request)


def record_unsafe_requests(app: FastAPI) -> None:
    """Record each unsafe request that its handler did not record itself."""

    @app.middleware("http")
    async def _record(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        if request.method in UNSAFE and not getattr(request.state, "audited", False):
            principal = getattr(request.state, "principal", None)
            outcome = "ok" if response.status_code < 400 else str(response.status_code)
            await run_in_threadpool(  # off the event loop: the write may wait for the lock
                audit.record,
                request.app.state.services.engine,
                actor=principal.name if principal else "(anonymous)",
                action=f"{request.method} {request.url.path}"[:64],
                outcome=outcome,
                address=client_address(request),
                detail={"status": response.status_code},
            )
        return response
