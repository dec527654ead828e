"""Rendering a page: the templates, the language of the request, the as-of date, helpers.

The language comes from the ``lang`` query parameter (which also sets a ``lang`` cookie, so a
switch holds on every later page), else the cookie, else Chinese. Templates get a translator
`_`, name helpers in that language and `link`, which keeps an explicit ``as_of`` on every link
so one can browse the program as of a past date.

Every page has a JSON twin (Datasette's one view, the format chosen at the edge): when the
request's ``Accept`` header prefers ``application/json`` to ``text/html``, `render` answers the
page's read model (its ``data``) as JSON instead of HTML, on the same URL, behind the same login
and scope; an error page answers ``{"detail": message}`` with its status.
"""

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from importlib import resources
from threading import Lock
from typing import Annotated, Any, NamedTuple, TypeVar

from fastapi import Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from robotwork.accounts import Principal
from robotwork.errors import BadParameter, RobotworkError, UnknownRecord
from robotwork.evidence.shortfall import Shortfall, describe
from robotwork.locale import DEFAULT_LANG, LANGS, t
from robotwork.web.deps import Services, ServicesDep, session_of
from robotwork.web.pages import charts
from robotwork.web.pages.page import Page

LANG_COOKIE = "lang"
_YEAR_S = 365 * 86400
TEMPLATES = Jinja2Templates(directory=str(resources.files("robotwork.web").joinpath("templates")))


def page_lang(request: Request) -> str:
    """The language of the page: query parameter, then cookie, then the default (zh)."""
    for asked in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if asked in LANGS:
            return str(asked)
    return DEFAULT_LANG


LangDep = Annotated[str, Depends(page_lang)]


def page_as_of(request: Request, services: ServicesDep) -> date:
    """The as-of date: ``?as_of=YYYY-MM-DD``, else today in the program's time zone."""
    text = request.query_params.get("as_of")
    if not text:
        return services.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadParameter(
            f"as_of {text!r}: not a date (YYYY-MM-DD)", message_id="error.bad_date", value=text
        ) from None


AsOfDep = Annotated[date, Depends(page_as_of)]
# What the HTML page and its JSON twin depend on, for caches between the reader and the server.
_VARY = {"Vary": "Accept"}
_JSON = "application/json"
_R = TypeVar("_R", bound=Response)
_HTML = "text/html"


def _quality(accept: str, media_type: str) -> float:
    """The quality `accept` gives `media_type`: that of its most specific matching range."""
    kind = media_type.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        rng = fields[0].lower()
        specificity = {media_type: 2, f"{kind}/*": 1, "*/*": 0}.get(rng)
        if specificity is None or specificity <= best[0]:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        best = (specificity, q)
    return best[1]


def wants_json(request: Request) -> bool:
    """True when the request's ``Accept`` header prefers JSON to HTML (a tie, as ``*/*``, is HTML)."""
    accept = request.headers.get("accept", "")
    return _quality(accept, _JSON) > _quality(accept, _HTML)


def _json_twin(status: int, context: dict[str, Any]) -> JSONResponse:
    """The page's JSON twin: its read model (``data``; without one, the page's own context), or
    on an error page its one-line reason."""
    if status >= 400:
        body: Any = {"detail": context.get("message", "")}
    else:
        body = context["data"] if "data" in context else {k: v for k, v in context.items() if k != "nav"}
    return JSONResponse(jsonable_encoder(body), status_code=status, headers=_VARY)


def render(
    request: Request,
    services: Services,
    template: str,
    *,
    lang: str,
    user: Principal | None = None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse | JSONResponse:
    """Render `template` with the page helpers, or its JSON twin when the reader asks for JSON
    (`wants_json`); remember an explicit language in a cookie."""
    if wants_json(request):
        return _json_twin(status, context)
    page = Page(request, services, lang)
    session = session_of(request, services)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "page": page,
            "_": page._,
            "lang": lang,
            "langs": LANGS,
            "user": user,
            "csrf": session.csrf if session else "",
            "policy": services.policy,
            "charts": charts,
            "shortfall": lambda s: describe(s if isinstance(s, Shortfall) else Shortfall.load(s), page._),
            **context,
        },
        status_code=status,
        headers=_VARY,
    )
    return _remember_lang(request, services, lang, response)


def _remember_lang(request: Request, services: Services, lang: str, response: _R) -> _R:
    """Keep a language asked for in the query (``?lang=``) in a cookie, so it holds on later pages."""
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=_YEAR_S, samesite="lax", secure=services.secure_cookies, httponly=True
        )
    return response


class _Rendered(NamedTuple):
    data: object
    body: bytes
    media_type: str | None


_RENDERED: OrderedDict[tuple[object, ...], _Rendered] = OrderedDict()
_RENDERED_SIZE = 64
_RENDERED_LOCK = Lock()


def render_kept(
    request: Request, services: Services, template: str, data: object, *, lang: str, user: Principal, nav: str
) -> Response:
    """`render` for a page whose read model is kept (`robotwork.read.kept`): while the same
    model object is served, the same reader asking for the same address gets the bytes rendered
    the first time (a national page is ~20 ms of template for 125 KB; eight readers at once
    queued behind each other's rendering)."""
    session = session_of(request, services)
    csrf = session.csrf if session else ""
    key = (template, wants_json(request), lang, user.name, csrf, str(request.url))
    with _RENDERED_LOCK:
        kept = _RENDERED.get(key)
        if kept is not None and kept.data is data:
            _RENDERED.move_to_end(key)
            response = Response(kept.body, media_type=kept.media_type, headers=_VARY)
            return _remember_lang(request, services, lang, response)
    response = render(request, services, template, lang=lang, user=user, nav=nav, data=data)
    with _RENDERED_LOCK:
        _RENDERED[key] = _Rendered(data, bytes(response.body), response.media_type)
        while len(_RENDERED) > _RENDERED_SIZE:
            _RENDERED.popitem(last=False)
    return response


def reason(error: RobotworkError, lang: str) -> str:
    """`error`'s reason in `lang`: its catalog message (`message_id` filled with `values`), else
    (an error that names none) its English line."""
    if error.message_id is None:
        return str(error)
    return t(error.message_id, lang, default=str(error), **error.values)


def not_found(
    request: Request, services: Services, lang: str, user: Principal, message: str | UnknownRecord
) -> HTMLResponse | JSONResponse:
    """The 404 page, with the one-line reason: an `UnknownRecord`'s in the page language (its
    English line in the page's JSON twin)."""
    why = reason(message, lang) if isinstance(message, UnknownRecord) else None
    context = {"message": str(message), "reason": why, "heading": "error.404"}
    return render(request, services, "error.html", lang=lang, user=user, status=404, **context)


def render_record(
    request: Request,
    services: Services,
    template: str,
    load: Callable[[], Any],
    *,
    lang: str,
    user: Principal,
    nav: str,
) -> HTMLResponse | JSONResponse:
    """A page of one record: `template` with what `load` returns, or the 404 page when `load`
    names a record that does not exist."""
    try:
        data = load()
    except UnknownRecord as exc:
        return not_found(request, services, lang, user, exc)
    return render(request, services, template, lang=lang, user=user, nav=nav, data=data)
