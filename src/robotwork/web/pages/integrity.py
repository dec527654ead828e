"""Integrity review: every flagged recording with its evidence; the ministry clears with a reason."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from robotwork.access import ReadScope, may_clear_flags
from robotwork.accounts import Principal
from robotwork.errors import RobotworkError, UnknownRecord
from robotwork.locale import t
from robotwork.read.flag import clear_flag_as
from robotwork.read.integrity import integrity as integrity_list
from robotwork.read.lists import ListQuery
from robotwork.web.audit_trail import audited
from robotwork.web.deps import ScopeDep, Services, ServicesDep, UserDep
from robotwork.web.list_params import ListDep
from robotwork.web.pages.lists import answer, listed
from robotwork.web.pages.render import LangDep, not_found, render

router = APIRouter()


@router.get("/integrity", response_class=HTMLResponse)
def integrity(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    listing: ListDep,
    cleared: int | None = None,
) -> Response:
    """Open flags first (searched, sorted and paged; ``format=json`` for the JSON twin), then
    cleared ones (of the robots in the reader's scope); the clear form only for the ministry."""
    return _page(request, services, user, scope, lang, listing=listing, just_cleared=cleared)


def _page(
    request: Request,
    services: Services,
    user: Principal,
    scope: ReadScope,
    lang: str,
    listing: ListQuery | None = None,
    **context: Any,
) -> Response:
    """The integrity review as it stands, with what the request adds (a clearing, an error)."""
    data = listed(lambda: integrity_list(services.engine, services.policy, scope, listing or ListQuery()))
    return answer(
        request, services, "integrity.html", lang=lang, user=user, nav="integrity", data=data, **context
    )


@router.post("/integrity/{flag_id}/clear", response_model=None)
def clear(
    request: Request,
    flag_id: int,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Clear a flag (ministry only; the CSRF token is checked before this runs)."""
    if not may_clear_flags(user):
        return render(
            request,
            services,
            "error.html",
            lang=lang,
            user=user,
            status=403,
            message=t("integrity.only_ministry", lang),
            heading="error.403",
        )
    try:
        address = audited(request)
        clear_flag_as(services.engine, flag_id, reason=reason, actor=user.name, address=address)
    except UnknownRecord as exc:
        return not_found(request, services, lang, user, exc)
    except RobotworkError as exc:
        return _page(request, services, user, scope, lang, error=str(exc), error_flag=flag_id, status=422)
    return RedirectResponse(f"/integrity?cleared={flag_id}", status_code=303)
