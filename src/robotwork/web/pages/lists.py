"""The recordings list, the list parameters every list page takes, and the JSON twin they share:
the same URL with ``format=json`` (or ``Accept: application/json``) answers the page's read model
(its rows after scope, filters, search, sort and paging; `robotwork.read.lists`)."""

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from robotwork.accounts import Principal
from robotwork.errors import BadParameter
from robotwork.read.lists import BadListQuery, RecordingFilters, recordings
from robotwork.web.deps import ScopeDep, Services, ServicesDep, UserDep
from robotwork.web.list_params import ListDep
from robotwork.web.pages.render import LangDep, render

router = APIRouter()
T = TypeVar("T")


def listed(read: Callable[[], T]) -> T:
    """A list's read model; a column the list cannot be sorted by is the reader's mistake (400)."""
    try:
        return read()
    except BadListQuery as exc:
        raise BadParameter(str(exc), message_id=exc.message_id, **exc.values) from None


def answer(
    request: Request,
    services: Services,
    template: str,
    *,
    lang: str,
    user: Principal,
    nav: str,
    data: Any,
    **context: Any,
) -> Response:
    """The page, or with ``format=json`` its read model as JSON (the page's twin)."""
    if request.query_params.get("format") == "json":
        return JSONResponse(jsonable_encoder(data))
    return render(request, services, template, lang=lang, user=user, nav=nav, data=data, **context)


@router.get("/recordings", response_model=None)
def recordings_page(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    listing: ListDep,
    robot: str | None = None,
    scenario: str | None = None,
) -> Response:
    """Stored recordings of the robots in the reader's scope, newest first unless sorted."""
    filters = RecordingFilters(robot=robot, scenario=scenario)
    data = listed(lambda: recordings(services.engine, services.policy, scope, filters, listing))
    return answer(request, services, "recordings.html", lang=lang, user=user, nav="robots", data=data)
