"""What a principal may read: the robots in its scope, and everything that hangs off them.

Figures (national, per organization, per scenario) are the program's public scoreboard and are
read by every person. Raw evidence (robots, their timelines and recordings, flags, datasets) is
read only within the robots in scope (`rules.ROBOTS_IN_SCOPE`). Every list, detail page and
API route asks the same `ReadScope`, so a count's list, the graph and the API agree.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.access.rules import Reach, reach
from robotwork.accounts import Principal
from robotwork.registry.models import Consortium, ConsortiumMember, Dataset, Deployment, Recording, Scenario


@dataclass(frozen=True)
class ReadScope:
    """One principal's reach over reads: `robots` is None for every robot, else the serials."""

    principal: Principal
    robots: frozenset[str] | None

    def may(self, action: str) -> bool:
        """Whether the principal reads `action` at all (`own` counts: it reads part of it)."""
        return reach(self.principal, action) is not Reach.NONE

    def sees_robot(self, serial: str | None) -> bool:
        """Whether the robot's raw evidence (page, timeline, recordings, flags) is readable."""
        return self.robots is None or (serial is not None and serial in self.robots)

    def robot_rows(self, rows: Iterable[dict[str, Any]], key: str = "robot_serial") -> list[dict[str, Any]]:
        """The rows about robots in scope."""
        return [r for r in rows if self.sees_robot(r.get(key))]

    def sees_recordings(self, robot_serials: Iterable[str]) -> bool:
        """Whether every robot behind a set of recordings (a dataset's) is in scope."""
        return self.robots is None or set(robot_serials) <= self.robots


def _nominated_robots(session: Session, org_code: str) -> frozenset[str]:
    query = (
        select(Deployment.robot_serial)
        .join(Scenario, Scenario.scenario_id == Deployment.scenario_id)
        .where(Scenario.nominated_by == org_code)
    )
    return frozenset(session.scalars(query))


def _consortium_robots(session: Session, consortium_id: str) -> frozenset[str]:
    """Serials of robots deployed (ever) on the consortium's scenarios."""
    consortium = session.get(Consortium, consortium_id)
    if consortium is None:
        return frozenset()
    query = select(Deployment.robot_serial).where(Deployment.scenario_id.in_(list(consortium.scenario_ids)))
    return frozenset(session.scalars(query))


def _member_robots(session: Session, org_code: str) -> frozenset[str]:
    """Serials of robots deployed (ever) on scenarios of the consortia `org_code` is a member of
    (an algorithm team reads the data of the consortia it works in)."""
    query = select(ConsortiumMember.consortium_id).where(ConsortiumMember.org_code == org_code)
    consortia = set(session.scalars(query))
    return frozenset().union(*(_consortium_robots(session, c) for c in sorted(consortia)))


def read_scope(engine: Engine, principal: Principal) -> ReadScope:
    """The read scope of a principal (one query; computed once per request)."""
    if reach(principal, "robots") is Reach.ALL:
        return ReadScope(principal, None)
    if principal.kind == "device":
        return ReadScope(principal, frozenset({str(principal.robot_serial)}))
    with Session(engine) as session:
        if principal.role in ("province", "central_soe") and principal.org_code:
            return ReadScope(principal, _nominated_robots(session, principal.org_code))
        if principal.role == "consortium" and principal.consortium_id:
            return ReadScope(principal, _consortium_robots(session, principal.consortium_id))
        if principal.role == "algorithm_team" and principal.org_code:
            return ReadScope(principal, _member_robots(session, principal.org_code))
    return ReadScope(principal, frozenset())


def consortium_robots(engine: Engine, consortium_id: str) -> frozenset[str]:
    """Serials of robots deployed (ever) on the consortium's scenarios."""
    with Session(engine) as session:
        return _consortium_robots(session, consortium_id)


def readable_datasets(engine: Engine, scope: ReadScope) -> set[str]:
    """Ids of the datasets made only of recordings of robots in the scope."""
    with Session(engine) as session:
        datasets = {d.dataset_id: list(d.recording_ids) for d in session.scalars(select(Dataset))}
        if scope.robots is None:
            return set(datasets)
        query = select(Recording.recording_id, Recording.robot_serial)
        robot_of = {rid: serial for rid, serial in session.execute(query)}
    return {d for d, ids in datasets.items() if scope.sees_recordings(robot_of.get(r, "") for r in ids)}


def scoped_rows(scope: ReadScope, data: dict[str, Any], key: str = "rows") -> dict[str, Any]:
    """A view's list of robot rows cut to the scope; `hidden` counts the rows left out, so a
    count on a page (the public figure) and the list it links to still add up."""
    rows = list(data[key])
    visible = scope.robot_rows(rows)
    return {**data, key: visible, f"{key}_hidden": len(rows) - len(visible)}


def scoped_graph(scope: ReadScope, data: dict[str, Any], datasets: set[str]) -> dict[str, Any]:
    """The graph without robots out of scope and datasets not readable (and their links)."""

    def keep(node: dict[str, Any]) -> bool:
        if node["category"] == "robot":
            return scope.sees_robot(node["key"])
        return node["category"] != "dataset" or node["key"] in datasets

    nodes = [n for n in data["nodes"] if keep(n)]
    ids = {n["id"] for n in nodes}
    links = [link for link in data["links"] if link["source"] in ids and link["target"] in ids]
    return {**data, "nodes": nodes, "links": links}
