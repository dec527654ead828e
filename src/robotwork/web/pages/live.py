"""The live page: counts by status nationally, per province and scenario, and every robot's
status, kept current by the ``/api/v1/live/stream`` event stream (no reload)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from robotwork.live.evidence import live_hours_without_evidence
from robotwork.live.tracker import STATUSES
from robotwork.live.view import live_view
from robotwork.locale import t
from robotwork.web.deps import RobotsReader, ServicesDep, UserDep
from robotwork.web.pages.render import LangDep, render

router = APIRouter()


@router.get("/live", response_class=HTMLResponse)
def live(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    scope: RobotsReader,
    lang: LangDep,
    province: str | None = None,
    scenario: str | None = None,
    state: str | None = None,
) -> HTMLResponse:
    """The live picture as it stands; the page's script then follows the event stream."""
    data = live_view(
        services.engine, province=province or None, scenario=scenario or None, state=state or None
    )
    return render(
        request,
        services,
        "live.html",
        lang=lang,
        user=user,
        nav="live",
        data=data,
        statuses=STATUSES,
        live_config={
            "statuses": list(STATUSES),  # the columns' order (tojson sorts the keys of a dict)
            "words": {s: t(f"live.status.{s}", lang) for s in STATUSES},
            "alerts": {k: t(f"live.alert.{k}", lang) for k in ("offline", "fault")},
            "no_alerts": t("live.no_alerts", lang),
        },
    )


@router.get("/live/without-evidence", response_class=HTMLResponse)
def without_evidence(
    request: Request, services: ServicesDep, user: UserDep, scope: RobotsReader, lang: LangDep
) -> HTMLResponse:
    """Hours robots (in the reader's scope) reported working live but sent no recording of
    within the grace time."""
    rows = scope.robot_rows(
        live_hours_without_evidence(services.engine, services.store.files, services.policy)
    )
    return render(request, services, "live_gaps.html", lang=lang, user=user, nav="integrity", rows=rows)
