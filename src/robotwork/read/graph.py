""" "How this connects": nominators, consortia, scenarios, sites, robots and datasets as a graph.

The whole program has thousands of nodes, which no one can read; so the graph shows one
nominator in full (with sites and robots), or by default the ministry's overview: the
nominators, scenarios and consortia of the provinces with the most verified robots
(`leading_provinces`). Each node carries the URL of its page. Robots and datasets are raw
evidence: the graph keeps only those the reader may read (`access.scoped_graph`).
"""

from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.access import ReadScope, readable_datasets, scoped_graph
from robotwork.evidence.metrics import gather, org_level
from robotwork.policy import Policy
from robotwork.read.models import OrgName, ReadModel
from robotwork.registry.models import Consortium, Dataset, Deployment, Organization, Scenario, Site
from robotwork.registry.template import NOMINATOR_KINDS

CATEGORIES = ("organization", "consortium", "scenario", "site", "robot", "dataset")
DEFAULT_PROVINCES = 3


class GraphView(ReadModel):
    """The graph page: one nominator in full (`org`) or the overview of `orgs`; every node
    (id, key, category, name, name_zh, url) and link (source, target, relation)."""

    org: str | None
    orgs: list[str]
    choices: list[OrgName]
    categories: list[str]
    nodes: list[dict[str, Any]]
    links: list[dict[str, str]]


def nominators(engine: Engine) -> list[OrgName]:
    """Every province and central SOE (the choices of the graph), provinces first."""
    with Session(engine) as session:
        orgs = session.scalars(select(Organization).where(Organization.kind.in_(NOMINATOR_KINDS)))
        rows = [OrgName(code=o.code, name=o.name, name_zh=o.name_zh, kind=o.kind) for o in orgs]
    return sorted(rows, key=lambda o: (o.kind != "province", o.code))


class _Graph:
    """Nodes by id (added once) and links between them."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.links: list[dict[str, str]] = []

    def node(self, category: str, key: str, name: str, url: str, name_zh: str | None = None) -> str:
        node_id = f"{category}:{key}"
        self.nodes.setdefault(
            node_id,
            {"id": node_id, "key": key, "category": category, "name": name, "name_zh": name_zh, "url": url},
        )
        return node_id

    def link(self, source: str, target: str, relation: str) -> None:
        self.links.append({"source": source, "target": target, "relation": relation})


def leading_provinces(
    engine: Engine, policy: Policy, as_of: date, count: int = DEFAULT_PROVINCES
) -> list[str]:
    """The provinces with the most robots in routine operation (then high-value applications,
    then code), from the `org_level` figures: what the ministry looks at first."""
    rows = [o for o in org_level(gather(engine, policy, as_of)) if o["kind"] == "province"]
    rows.sort(key=lambda o: (-o["robots_in_routine_operation"], -o["high_value_applications"], o["code"]))
    return [o["code"] for o in rows[:count]]


def graph(
    engine: Engine, policy: Policy, as_of: date, scope: ReadScope, *, org: str | None = None
) -> GraphView:
    """The graph page's read model: one nominator in full (`org`), else the overview of the
    provinces with the most verified robots, cut to what the reader may read."""
    overview = None if org else leading_provinces(engine, policy, as_of)
    data = graph_of(engine, org=org, overview=overview)
    return GraphView.model_validate(scoped_graph(scope, data, readable_datasets(engine, scope)))


def graph_of(engine: Engine, *, org: str | None = None, overview: list[str] | None = None) -> dict[str, Any]:
    """The graph of one nominator in full (`org`), or the overview of the `overview` provinces
    (by default the first few by code), before the reader's scope."""
    choices = nominators(engine)
    first = [o.code for o in choices if o.kind == "province"][:DEFAULT_PROVINCES]
    codes = [org] if org else overview if overview is not None else first
    graph = _Graph()
    with Session(engine) as session:
        scenarios = list(
            session.scalars(
                select(Scenario).where(Scenario.nominated_by.in_(codes)).order_by(Scenario.scenario_id)
            )
        )
        for o in session.scalars(select(Organization).where(Organization.code.in_(codes))):
            graph.node("organization", o.code, o.name, f"/org/{o.code}", o.name_zh)
        for s in scenarios:
            sid = graph.node("scenario", s.scenario_id, s.title, f"/scenario/{s.scenario_id}")
            graph.link(f"organization:{s.nominated_by}", sid, "nominated")
        _consortia(session, graph, scenarios)
        if org:
            _sites_and_robots(session, graph, scenarios)
        _datasets(session, graph, scenarios)
    return {
        "org": org,
        "orgs": codes,
        "choices": choices,
        "categories": list(CATEGORIES),
        "nodes": list(graph.nodes.values()),
        "links": graph.links,
    }


def _consortia(session: Session, graph: _Graph, scenarios: list[Scenario]) -> None:
    """Consortia working on the scenarios; a consortium opens the page of its first scenario's
    nominator, where its members are listed by role."""
    nominated_by = {s.scenario_id: s.nominated_by for s in scenarios}
    for c in session.scalars(select(Consortium).order_by(Consortium.consortium_id)):
        mine = [sid for sid in c.scenario_ids if sid in nominated_by]
        if not mine:
            continue
        cid = graph.node(
            "consortium", c.consortium_id, c.name, f"/org/{nominated_by[mine[0]]}#{c.consortium_id}"
        )
        for sid in mine:
            graph.link(cid, f"scenario:{sid}", "deploys")


def _sites_and_robots(session: Session, graph: _Graph, scenarios: list[Scenario]) -> None:
    """The scenarios' sites (nominated and deployed) and the robots deployed on them."""
    ids = [s.scenario_id for s in scenarios]
    deployments = list(session.scalars(select(Deployment).where(Deployment.scenario_id.in_(ids))))
    site_ids = {s.site_id for s in scenarios} | {d.site_id for d in deployments}
    sites = {s.site_id: s for s in session.scalars(select(Site).where(Site.site_id.in_(site_ids)))}
    pairs = {(s.scenario_id, s.site_id) for s in scenarios} | {
        (d.scenario_id, d.site_id) for d in deployments
    }
    for scenario_id, site_id in sorted(pairs):
        site = sites[site_id]
        node = graph.node("site", site_id, f"{site.name} ({site.city})", f"/scenarios?site={site_id}")
        graph.link(f"scenario:{scenario_id}", node, "at")
    for d in deployments:
        node = graph.node("robot", d.robot_serial, d.robot_serial, f"/robot/{d.robot_serial}")
        graph.link(node, f"site:{d.site_id}", "works at")


def _datasets(session: Session, graph: _Graph, scenarios: list[Scenario]) -> None:
    """Training datasets exported from the scenarios' recordings (the harvest the plan is for)."""
    ids = {s.scenario_id for s in scenarios}
    for d in session.scalars(select(Dataset).order_by(Dataset.dataset_id)):
        mine = sorted(ids.intersection(d.scenario_ids))
        if not mine:
            continue
        node = graph.node("dataset", d.dataset_id, d.name, f"/datasets/{d.dataset_id}")
        for sid in mine:
            graph.link(f"scenario:{sid}", node, "harvested into")
