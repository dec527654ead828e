"""Logging in and out of the dashboard with a signed session cookie."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from robotwork.accounts import authenticate
from robotwork.web.deps import PrincipalDep, ServicesDep
from robotwork.web.pages.render import LangDep, render
from robotwork.web.session import COOKIE, MAX_AGE_S

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
    """Check the password; on success set the session cookie (HttpOnly, SameSite=Lax, Secure
    unless the app was built for plain HTTP) and go where the user was going."""
    principal = authenticate(services.engine, username, password)
    if principal is None:
        return render(
            request,
            services,
            "login.html",
            lang=lang,
            next=safe_next(next),
            failed=True,
            username=username,
            status=401,
        )
    cookie, _ = services.sessions.issue(principal.name, lang)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        COOKIE, cookie, max_age=MAX_AGE_S, httponly=True, samesite="lax", secure=services.secure_cookies
    )
    return response


@router.post("/logout")
def logout(_principal: PrincipalDep) -> RedirectResponse:
    """End the session (a POST with the CSRF token, so another site cannot log one out)."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response
