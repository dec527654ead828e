"""Robots and the lists behind counts over the API: the same read models as the robot page, the
robot list and the scenario list (and their JSON twins), with the same filters and list parameters.

Robots are read within the reader's scope (the rule set's `robots` read); scenarios are figures,
everyone's but a device's.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from robotwork.read.lists import RobotFilters, RobotList, ScenarioFilters, ScenarioList, robots, scenarios
from robotwork.read.robot import RobotView, robot
from robotwork.web.deps import FiguresReader, RobotsReader, ServicesDep
from robotwork.web.list_params import ListDep

router = APIRouter(tags=["robots"])
Filter = Annotated[str | None, Query(max_length=64)]


@router.get("/robots")
def get_robots(
    services: ServicesDep,
    scope: RobotsReader,
    listing: ListDep,
    as_of: date | None = None,
    org: Filter = None,
    scenario: Filter = None,
    routine: bool | None = None,
    level: Annotated[str | None, Query(pattern=r"^L[0-4]$")] = None,
    flagged: bool | None = None,
) -> RobotList:
    """The robots a count was made of (those in the reader's scope; `rows_hidden` the rest),
    filtered, searched, sorted and paged as on the robot list page."""
    filters = RobotFilters(org=org, scenario=scenario, routine=routine, level=level, flagged=flagged)
    return robots(services.engine, services.policy, as_of or services.today(), scope, filters, listing)


@router.get("/robots/{serial}")
def get_robot(
    serial: str, services: ServicesDep, scope: RobotsReader, as_of: date | None = None
) -> RobotView:
    """One robot in the reader's scope: registry record, figures, deployments, the per-day
    timeline, recordings, flags and live status (the robot page's read model)."""
    return robot(services.engine, services.policy, as_of or services.today(), scope, serial)


@router.get("/scenarios")
def get_scenarios(
    services: ServicesDep,
    _scope: FiguresReader,
    listing: ListDep,
    as_of: date | None = None,
    org: Filter = None,
    domain: Filter = None,
    stage: Filter = None,
    high_value: bool | None = None,
    counted: bool | None = None,
    site: Filter = None,
) -> ScenarioList:
    """The scenarios a count was made of, filtered, searched, sorted and paged as on the scenario
    list page (`counted`: those that count toward a quota)."""
    filters = ScenarioFilters(
        org=org, domain=domain, stage=stage, high_value=high_value, counted=counted, site=site
    )
    return scenarios(services.engine, services.policy, as_of or services.today(), filters, listing)
