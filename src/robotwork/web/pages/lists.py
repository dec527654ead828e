"""The recordings list, and the JSON twin every list page shares: the same URL with
``format=json`` answers the page's data (its rows after scope, filters, search, sort and paging)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.accounts import Principal
from robotwork.registry.models import Recording
from robotwork.web.deps import ScopeDep, Services, ServicesDep, UserDep
from robotwork.web.pages.render import LangDep, render
from robotwork.web.views.listing import ListDep, list_page
from robotwork.web.views.robot import recording_row

router = APIRouter()
RECORDING_SEARCH = ("recording_id", "robot_serial", "scenario_id", "site_id", "source_name")
RECORDING_SORT = ("start", "robot_serial", "scenario_id", "messages", "size_bytes")


def answer(
    request: Request,
    services: Services,
    template: str,
    *,
    lang: str,
    user: Principal,
    nav: str,
    data: dict[str, Any],
    **context: Any,
) -> Response:
    """The page, or with ``format=json`` its data as JSON (the page's twin)."""
    if request.query_params.get("format") == "json":
        return JSONResponse(jsonable_encoder(data))
    return render(request, services, template, lang=lang, user=user, nav=nav, data=data, **context)


@router.get("/recordings", response_model=None)
def recordings(
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
    query = select(Recording).order_by(Recording.start_ns.desc(), Recording.recording_id)
    if scope.robots is not None:
        query = query.where(Recording.robot_serial.in_(sorted(scope.robots)))
    if robot:
        query = query.where(Recording.robot_serial == robot)
    if scenario:
        query = query.where(Recording.scenario_id == scenario)
    with Session(services.engine) as session:
        rows = [recording_row(rec, [], services.policy) for rec in session.scalars(query)]
    data = list_page(rows, listing, search=RECORDING_SEARCH, sortable=RECORDING_SORT)
    data["filters"] = {"robot": robot, "scenario": scenario}
    return answer(request, services, "recordings.html", lang=lang, user=user, nav="robots", data=data)
