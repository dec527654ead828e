"""The read pages: national, province / central SOE, scenario, robot, and the lists behind counts."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from robotwork.web.deps import ServicesDep, UserDep
from robotwork.web.pages.render import AsOfDep, LangDep, render, render_record
from robotwork.web.views import (
    national_view,
    org_view,
    robot_list,
    robot_view,
    scenario_list,
    scenario_view,
)

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def national(
    request: Request, services: ServicesDep, user: UserDep, lang: LangDep, as_of: AsOfDep
) -> HTMLResponse:
    """The program at a glance."""
    data = national_view(services.engine, services.policy, as_of)
    return render(request, services, "national.html", lang=lang, user=user, nav="national", data=data)


@router.get("/org/{code}", response_class=HTMLResponse)
def org(
    request: Request, code: str, services: ServicesDep, user: UserDep, lang: LangDep, as_of: AsOfDep
) -> HTMLResponse:
    """One province or central SOE."""

    def load() -> dict[str, Any]:
        return org_view(services.engine, services.policy, as_of, code)

    return render_record(request, services, "org.html", load, lang=lang, user=user, nav="national")


@router.get("/scenario/{scenario_id}", response_class=HTMLResponse)
def scenario(
    request: Request, scenario_id: str, services: ServicesDep, user: UserDep, lang: LangDep, as_of: AsOfDep
) -> HTMLResponse:
    """One scenario on the ladder."""

    def load() -> dict[str, Any]:
        return scenario_view(services.engine, services.policy, as_of, scenario_id)

    return render_record(request, services, "scenario.html", load, lang=lang, user=user, nav="scenarios")


@router.get("/robot/{serial}", response_class=HTMLResponse)
def robot(
    request: Request, serial: str, services: ServicesDep, user: UserDep, lang: LangDep, as_of: AsOfDep
) -> HTMLResponse:
    """One robot: timeline, recordings, flags."""

    def load() -> dict[str, Any]:
        return robot_view(services.engine, services.policy, as_of, serial)

    return render_record(request, services, "robot.html", load, lang=lang, user=user, nav="robots")


@router.get("/robots", response_class=HTMLResponse)
def robots(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    lang: LangDep,
    as_of: AsOfDep,
    org: str | None = None,
    scenario: str | None = None,
    routine: bool | None = None,
    level: Annotated[str | None, Query(pattern=r"^L[0-4]$")] = None,
    flagged: bool | None = None,
) -> HTMLResponse:
    """The robots a count was made of."""
    data = robot_list(
        services.engine,
        services.policy,
        as_of,
        org=org,
        scenario=scenario,
        routine=routine,
        level=level,
        flagged=flagged,
    )
    return render(request, services, "robots.html", lang=lang, user=user, nav="robots", data=data)


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    lang: LangDep,
    as_of: AsOfDep,
    org: str | None = None,
    domain: str | None = None,
    stage: str | None = None,
    high_value: bool | None = None,
    counted: bool | None = None,
    site: str | None = None,
) -> HTMLResponse:
    """The scenarios a count was made of."""
    data = scenario_list(
        services.engine,
        services.policy,
        as_of,
        org=org,
        domain=domain,
        stage=stage,
        high_value=high_value,
        counted=counted,
        site=site,
    )
    return render(request, services, "scenarios.html", lang=lang, user=user, nav="scenarios", data=data)
