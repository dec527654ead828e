"""The web side of the audit trail: the caller's address, and a record of every unsafe request.

Handlers that record an act themselves (an import with its counts, a login, a flag cleared)
mark the request `audited`; every other unsafe request (an upload, a refused write) is
recorded by `record_unsafe_requests` with who, from where, which route and the status.
"""

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from robotwork.accounts import Principal
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
    app.add_middleware(_RecordUnsafe)


class _RecordUnsafe:
    """Plain ASGI middleware: a safe request (every GET) goes straight through, untouched; an
    unsafe one that its handler did not record is recorded when its response starts, before
    the client is sent anything (so a client that has its answer finds it in the trail).

    (Starlette's `@app.middleware("http")` wrapped every request, GETs included, in a second
    request object, a task and a streamed copy of the response.)
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})  # what `Request.state` of the handlers writes to

        async def send_after_recording(message: Message) -> None:
            if message["type"] == "http.response.start" and not state.get("audited", False):
                await _record(Request(scope), state.get("principal"), message["status"])
            await send(message)

        await self.app(scope, receive, send_after_recording)


async def _record(request: Request, principal: Principal | None, status: int) -> None:
    await run_in_threadpool(  # off the event loop: the write may wait for the lock
        audit.record,
        request.app.state.services.engine,
        actor=principal.name if principal else "(anonymous)",
        action=f"{request.method} {request.url.path}"[:64],
        outcome="ok" if status < 400 else str(status),
        address=client_address(request),
        detail={"status": status},
    )
