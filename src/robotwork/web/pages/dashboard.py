"""The read pages: national, province / central SOE, scenario, robot, and the lists behind counts.

Figures are everyone's; robots (rows, pages, timelines, recordings) only within the reader's
scope (`access`): a list says how many of its rows lie outside it."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from robotwork.evidence.ladder import STAGES
from robotwork.locale import t
from robotwork.read.lists import RobotFilters, ScenarioFilters
from robotwork.read.lists import robots as robot_list
from robotwork.read.lists import scenarios as scenario_list
from robotwork.read.national import national as national_view
from robotwork.read.organization import OrganizationView, organization
from robotwork.read.robot import RobotView
from robotwork.read.robot import robot as robot_view
from robotwork.read.scenario import ScenarioView
from robotwork.read.scenario import scenario as scenario_view
from robotwork.web.deps import ScopeDep, ServicesDep, UserDep
from robotwork.web.list_params import ListDep
from robotwork.web.pages.lists import answer, listed
from robotwork.web.pages.render import AsOfDep, LangDep, render_kept, render_record

router = APIRouter()
YES_NO = [("1", "✔"), ("0", "✘")]


@router.get("/", response_class=HTMLResponse)
def national(
    request: Request, services: ServicesDep, user: UserDep, lang: LangDep, as_of: AsOfDep
) -> Response:
    """The program at a glance."""
    data = national_view(services.engine, services.policy, as_of)
    return render_kept(request, services, "national.html", data, lang=lang, user=user, nav="national")


@router.get("/org/{code}", response_class=HTMLResponse)
def org(
    request: Request,
    code: str,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    as_of: AsOfDep,
) -> Response:
    """One province or central SOE (its figures for everyone; live alerts of robots in scope)."""

    def load() -> OrganizationView:
        return organization(services.engine, services.policy, as_of, code, scope)

    return render_record(request, services, "org.html", load, lang=lang, user=user, nav="national")


@router.get("/scenario/{scenario_id}", response_class=HTMLResponse)
def scenario(
    request: Request,
    scenario_id: str,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    as_of: AsOfDep,
) -> Response:
    """One scenario on the ladder (its robots within the reader's scope)."""

    def load() -> ScenarioView:
        return scenario_view(services.engine, services.policy, as_of, scenario_id, scope)

    return render_record(request, services, "scenario.html", load, lang=lang, user=user, nav="scenarios")


@router.get("/robot/{serial}", response_class=HTMLResponse)
def robot(
    request: Request,
    serial: str,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    as_of: AsOfDep,
) -> HTMLResponse:
    """One robot in the reader's scope: timeline, recordings, flags."""

    def load() -> RobotView:
        return robot_view(services.engine, services.policy, as_of, scope, serial)

    return render_record(request, services, "robot.html", load, lang=lang, user=user, nav="robots")


@router.get("/robots", response_model=None)
def robots(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    scope: ScopeDep,
    lang: LangDep,
    as_of: AsOfDep,
    listing: ListDep,
    org: str | None = None,
    scenario: str | None = None,
    routine: bool | None = None,
    level: Annotated[str | None, Query(pattern=r"^L[0-4]$")] = None,
    flagged: bool | None = None,
) -> Response:
    """The robots a count was made of (those in the reader's scope; the rest counted, not listed),
    searched, sorted and paged (`read.lists`); ``format=json`` for its JSON twin."""
    filters = RobotFilters(org=org, scenario=scenario, routine=routine, level=level, flagged=flagged)
    data = listed(lambda: robot_list(services.engine, services.policy, as_of, scope, filters, listing))
    choices = {"routine": YES_NO, "level": [(f"L{i}", f"L{i}") for i in range(5)], "flagged": YES_NO}
    return answer(
        request, services, "robots.html", lang=lang, user=user, nav="robots", data=data, choices=choices
    )


@router.get("/scenarios", response_model=None)
def scenarios(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    lang: LangDep,
    as_of: AsOfDep,
    listing: ListDep,
    org: str | None = None,
    domain: str | None = None,
    stage: str | None = None,
    high_value: bool | None = None,
    counted: bool | None = None,
    site: str | None = None,
) -> Response:
    """The scenarios a count was made of, searched, sorted and paged; ``format=json`` for its twin."""
    filters = ScenarioFilters(
        org=org, domain=domain, stage=stage, high_value=high_value, counted=counted, site=site
    )
    data = listed(lambda: scenario_list(services.engine, services.policy, as_of, filters, listing))
    choices = {
        "domain": [(d, services.policy.domain_name(d, lang)) for d in services.policy.domains],
        "stage": [(s, t(f"stage.{s}", lang)) for s in STAGES],
        "high_value": YES_NO,
        "counted": YES_NO,
    }
    return answer(
        request, services, "scenarios.html", lang=lang, user=user, nav="scenarios", data=data, choices=choices
    )
