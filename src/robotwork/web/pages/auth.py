"""Logging in and out of the dashboard with a signed session cookie."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from robotwork.accounts import LoginRefused
from robotwork.accounts import login as check_login
from robotwork.read.lens import LENS_COOKIE, lens_home
from robotwork.registry import audit
from robotwork.web.audit_trail import audited
from robotwork.web.deps import PrincipalDep, ServicesDep
from robotwork.web.pages.render import LangDep, render
from robotwork.web.session import COOKIE

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, services: ServicesDep, lang: LangDep, next: str = "/") -> HTMLResponse:
    """The login form (the one page served without a login, with the health check)."""
    return render(request, services, "login.html", lang=lang, next=safe_next(next))


@router.post("/login", response_model=None)
def login(
    request: Request,
    services: ServicesDep,
    lang: LangDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> HTMLResponse | RedirectResponse:
    """Check the password (rate-limited per account and per address, every attempt in the audit
    trail); on success start a server-side session, set its cookie (HttpOnly, SameSite=Lax,
    Secure unless the app was built for plain HTTP) and go where the user was going."""
    address = audited(request)
    try:
        principal = check_login(services.engine, username, password, address=address)
    except LoginRefused as exc:
        return render(
            request,
            services,
            "login.html",
            lang=lang,
            next=safe_next(next),
            failed=True,
            limited=exc.status == 429,
            username=username[:120],
            status=exc.status,
        )
    cookie, _ = services.sessions.issue(principal.name, lang, address)
    target = safe_next(next)
    if target == "/":  # no page asked for: the person's own lens
        target = lens_home(principal, request.cookies.get(LENS_COOKIE))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=services.sessions.max_age_s,
        httponly=True,
        samesite="lax",
        secure=services.secure_cookies,
    )
    return response


@router.post("/logout")
def logout(request: Request, services: ServicesDep, principal: PrincipalDep) -> RedirectResponse:
    """End the session on the server, so the cookie is dead even where a copy of it survives (a
    POST with the CSRF token, so another site cannot log one out)."""
    services.sessions.end(request.cookies.get(COOKIE))
    audit.record(services.engine, actor=principal.name, action="logout", address=audited(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response
