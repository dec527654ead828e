"""Error pages for people: a wrong address or a bad parameter answers with a page in the
reader's language (the API under /api/ keeps its JSON), with the site's masthead, language
switch and, for a logged-in person, its navigation; /favicon.ico is the site's icon. The page
states its reason in the reader's language from the catalog; the JSON twin keeps the English line.

Browsers ask for /favicon.ico on their own, whatever the page says; answering it keeps the
server's log free of a 404 on every first visit.
"""

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from robotwork.accounts import Principal, principal_of_user
from robotwork.errors import BadParameter
from robotwork.locale import t
from robotwork.web.deps import session_of
from robotwork.web.pages.render import page_lang, reason, render

_HEADINGS = {404: "error.404", 403: "error.403", 405: "error.405"}


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/static/")) and request.method in ("GET", "HEAD")


async def _person(request: Request) -> Principal | None:
    """The logged-in person, for the navigation (the error came before any route asked)."""
    found = getattr(request.state, "principal", None)
    if found is None:
        session = session_of(request, request.app.state.services)
        if session is not None:
            found = await run_in_threadpool(
                principal_of_user, request.app.state.services.engine, session.username
            )
    return found if found is not None and found.kind == "user" else None


def error_page(
    request: Request, status: int, message: str, user: Principal | None = None, reason: str | None = None
) -> Response:
    """The styled error page of `status` with its one-line `reason` in the page language (else
    `message`, which the JSON twin answers in English); its way back drops the query that caused it
    (a bad as_of would follow every link)."""
    services = request.app.state.services
    heading = _HEADINGS.get(status, "error.bad_request" if status < 500 else "error.server")
    return render(
        request,
        services,
        "error.html",
        lang=page_lang(request),
        user=user,
        status=status,
        message=message,
        reason=reason,
        heading=heading,
        back="/",
    )


def install_error_pages(app: FastAPI) -> None:
    """Route HTTP and parameter errors of page requests to `error_page`; serve /favicon.ico."""
    icon = resources.files("robotwork.web").joinpath("static", "favicon.svg").read_bytes()

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(icon, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not _wants_page(request):
            return await http_exception_handler(request, exc)
        message = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else request.url.path
        return error_page(request, exc.status_code, str(message), await _person(request))

    @app.exception_handler(BadParameter)
    async def unreadable(request: Request, exc: BadParameter) -> Response:
        if not _wants_page(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        lang = page_lang(request)
        return error_page(request, 400, str(exc), await _person(request), reason(exc, lang))

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> Response:
        if not _wants_page(request):
            return await request_validation_exception_handler(request, exc)
        names = [".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors()]
        problems = "; ".join(
            f"{name}: {e.get('msg', '')}" for name, e in zip(names, exc.errors(), strict=True)
        )
        lang = page_lang(request)
        why = "; ".join(t("error.bad_value", lang, name=name) for name in names)
        return error_page(request, 400, problems, await _person(request), why)
