"""Figures: compliance, metrics, the national overview, an organization, a scenario, a
consortium, the facts and the graph, from the read functions the pages and their JSON twins use
(`robotwork.read`)."""

from datetime import date
from enum import Enum
from typing import Any

from fastapi import APIRouter

from robotwork.evidence.metrics import metrics
from robotwork.read.compliance import ComplianceView, compliance
from robotwork.read.consortium import ConsortiumView, consortium
from robotwork.read.facts import FactsView, facts
from robotwork.read.graph import GraphView, graph
from robotwork.read.models import ReadModel
from robotwork.read.national import NationalView, national
from robotwork.read.organization import OrganizationView, organization
from robotwork.read.scenario import ScenarioView, scenario
from robotwork.web.deps import FiguresReader, ServicesDep

router = APIRouter(tags=["figures"])


class Level(str, Enum):  # noqa: UP042 - FastAPI documents str enums as choices
    """Levels of the metrics."""

    robot = "robot"
    scenario = "scenario"
    province = "province"
    national = "national"


class MetricsView(ReadModel):
    """The ``robotwork metrics --json`` document: the window and one row per robot, scenario,
    province or central SOE, or the nation."""

    as_of: date
    window: dict[str, date]  # from, to
    by: str
    rows: list[dict[str, Any]]


@router.get("/compliance", response_model=ComplianceView)
def compliance_of(
    services: ServicesDep, _scope: FiguresReader, as_of: date | None = None, org: str | None = None
) -> dict[str, Any]:
    """Compliance of every province and central SOE (or one) as of a date (default today)."""
    return compliance(services.engine, services.policy, as_of or services.today(), org).to_json()


@router.get("/metrics/{by}", response_model=MetricsView)
def metrics_by(
    by: Level, services: ServicesDep, scope: FiguresReader, as_of: date | None = None
) -> dict[str, Any]:
    """Verified figures by robot (the robots in the reader's scope), scenario, province or
    national, over the trailing window."""
    out = metrics(services.engine, services.policy, as_of or services.today(), by.value)
    if by is Level.robot:
        out["rows"] = scope.robot_rows(out["rows"])
    return out


@router.get("/national")
def national_overview(
    services: ServicesDep, _scope: FiguresReader, as_of: date | None = None
) -> NationalView:
    """The national page's read model: targets, every nominator's standing, the data lever,
    the forecast and the facts."""
    return national(services.engine, services.policy, as_of or services.today())


@router.get("/orgs/{code}")
def organization_of(
    code: str, services: ServicesDep, scope: FiguresReader, as_of: date | None = None
) -> OrganizationView:
    """A province's or central SOE's page read model (live alerts of robots in scope only);
    404 for a code that is not a nominator."""
    return organization(services.engine, services.policy, as_of or services.today(), code, scope)


@router.get("/scenarios/{scenario_id}")
def scenario_of(
    scenario_id: str, services: ServicesDep, scope: FiguresReader, as_of: date | None = None
) -> ScenarioView:
    """A scenario's page read model: the ladder with its shortfalls, its robots in scope."""
    return scenario(services.engine, services.policy, as_of or services.today(), scenario_id, scope)


@router.get("/consortia/{consortium_id}")
def consortium_of(
    consortium_id: str, services: ServicesDep, scope: FiguresReader, as_of: date | None = None
) -> ConsortiumView:
    """A consortium's page read model: members, scenarios, and its robots, uploads and flags
    within the reader's scope (how many left out counted)."""
    return consortium(services.engine, services.policy, as_of or services.today(), consortium_id, scope)


@router.get("/facts")
def plan_facts(services: ServicesDep, _scope: FiguresReader, as_of: date | None = None) -> FactsView:
    """The facts page's read model: quotas, deadlines, targets and the doctrine with their standing."""
    return facts(services.engine, services.policy, as_of or services.today())


@router.get("/graph")
def connections(
    services: ServicesDep, scope: FiguresReader, as_of: date | None = None, org: str | None = None
) -> GraphView:
    """The graph page's read model: one nominator in full (`org`), else the overview of the
    provinces with the most verified robots; robots and datasets only within the reader's scope."""
    return graph(services.engine, services.policy, as_of or services.today(), scope, org=org or None)
