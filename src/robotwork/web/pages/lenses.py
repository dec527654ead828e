"""The lens pages: a consortium's page, the harvest, and the switch between a person's lenses.

`/lens/{key}` remembers the chosen lens in a cookie and opens it, so the next login lands there
(`read.lens.lens_home`); the switcher in the masthead lists `read.lens.lenses` of the user.
"""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from robotwork.errors import UnknownRecord
from robotwork.read.consortium import ConsortiumView
from robotwork.read.consortium import consortium as consortium_view
from robotwork.read.harvest import harvest as read_harvest
from robotwork.read.lens import LENS_COOKIE, lenses
from robotwork.web.deps import ScopeDep, ServicesDep, UserDep
from robotwork.web.pages.exports import export_jobs
from robotwork.web.pages.glossary import install as install_glossary
from robotwork.web.pages.render import TEMPLATES, AsOfDep, LangDep, not_found, render, render_record

router = APIRouter()
TEMPLATES.env.globals["lenses"] = lenses  # the masthead's switcher asks for the user's lenses
install_glossary(TEMPLATES.env)  # term(key, label): a word linked to its definition
_YEAR_S = 365 * 86400


@router.get("/lens/{key}", response_model=None)
def choose_lens(
    request: Request, key: str, services: ServicesDep, user: UserDep, lang: LangDep
) -> RedirectResponse | HTMLResponse:
    """Open one of the user's lenses and land there after the next login."""
    found = next((lens for lens in lenses(user) if lens.key == key), None)
    if found is None:
        missing = UnknownRecord(f"lens {key!r}: not one of yours", kind="lens", key=key)
        return not_found(request, services, lang, user, missing)
    response = RedirectResponse(found.href, status_code=303)
    response.set_cookie(
        LENS_COOKIE, key, max_age=_YEAR_S, samesite="lax", secure=services.secure_cookies, httponly=True
    )
    return response


@router.get("/consortium/{consortium_id}", response_class=HTMLResponse)
def consortium(
    request: Request,
    consortium_id: str,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    as_of: AsOfDep,
) -> HTMLResponse:
    """One consortium: members, scenarios on the ladder, robots, uploads and flags in scope."""

    def load() -> ConsortiumView:
        return consortium_view(services.engine, services.policy, as_of, consortium_id, scope)

    return render_record(request, services, "consortium.html", load, lang=lang, user=user, nav="consortium")


@router.get("/harvest", response_class=HTMLResponse)
def harvest(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    as_of: AsOfDep,
    task: str | None = None,
    model: str | None = None,
    mode: str | None = None,
    outcome: str | None = None,
) -> HTMLResponse:
    """Episodes and hours by task, model, mode and outcome, for the robots in scope."""
    data = read_harvest(
        services.engine, services.policy, as_of, scope, task=task, model=model, mode=mode, outcome=outcome
    )
    exports = [job.to_json() for job in export_jobs(request).of(user.name)]
    return render(
        request, services, "harvest.html", lang=lang, user=user, nav="harvest", data=data, exports=exports
    )
