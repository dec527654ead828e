"""`create_app(settings)`: one FastAPI application on one registry and telemetry store.

Nothing is built at import time: tests get a fresh app per test on a temporary database.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from robotwork import __version__
from robotwork.errors import RobotworkError, UnknownRecord
from robotwork.intake import Intake
from robotwork.policy import load_policy
from robotwork.registry.db import open_registry, sqlite_url
from robotwork.store.telemetry import TelemetryStore
from robotwork.web.audit_trail import record_unsafe_requests
from robotwork.web.deps import NotLoggedIn, PrincipalDep, Services
from robotwork.web.session import Sessions
from robotwork.web.settings import Settings
from robotwork.web.workers import IngestWorkers, IntakeConfig


def create_app(settings: Settings) -> FastAPI:
    """Build the app: services, API routers, pages, static files, error handlers."""
    from robotwork.web.api import api_router
    from robotwork.web.pages import pages_router
    from robotwork.web.pages.errors import install_error_pages

    settings.home.mkdir(parents=True, exist_ok=True)
    db_url = settings.db_url or sqlite_url(settings.home)
    store_url = settings.store_url or str(settings.home / "telemetry")
    engine = open_registry(db_url)
    store = TelemetryStore(store_url)
    policy = load_policy(settings.policy_path)
    services = Services(
        engine=engine,
        store=store,
        policy=policy,
        sessions=Sessions(
            settings.signing_key(),
            engine,
            idle=settings.session_idle,
            absolute=settings.session_absolute,
        ),
        secure_cookies=settings.secure_cookies,
        intake=(intake := Intake(engine, store, policy, actor="web")),
        workers=IngestWorkers(
            intake, IntakeConfig(db_url, store_url, settings.policy_path), settings.ingest_workers
        ),
    )
    services.workers.resume()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        services.workers.shutdown()  # running jobs end; queued ones are resumed at next start

    app = FastAPI(
        title="robotwork",
        version=__version__,
        docs_url=None,
        openapi_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.settings = settings
    record_unsafe_requests(app)
    install_error_pages(app)
    app.include_router(api_router, prefix="/api/v1")
    app.include_router(pages_router)
    static = resources.files("robotwork.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi(_who: PrincipalDep) -> JSONResponse:
        """The OpenAPI document, for logged-in users and tokens only."""
        return JSONResponse(app.openapi())

    @app.get("/api/docs", include_in_schema=False)
    def docs(_who: PrincipalDep) -> HTMLResponse:
        """Swagger UI from robotwork's own static files (the machines have no internet)."""
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="robotwork API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon.png",
        )

    @app.get("/health", tags=["meta"])
    async def health() -> dict[str, str]:
        """Liveness: served without a login, on the event loop itself (not the thread pool
        that uploads may fill), so it answers at once however busy the workers are."""
        return {"status": "ok", "version": __version__}

    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, exc: NotLoggedIn) -> JSONResponse | RedirectResponse:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(UnknownRecord)
    async def unknown(_request: Request, exc: UnknownRecord) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(RobotworkError)
    async def refused(_request: Request, exc: RobotworkError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    return app
