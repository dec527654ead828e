"""A fixed layout for the connections graph: the same picture on every load, inside its box.

A force layout moves on every load and, for one organization's few hundred nodes, pushes some
past the edge of the chart. Here every kind of node has its ring (organizations in the middle,
then consortia, scenarios, sites and datasets, robots outside), and each node's angle follows
what it is linked to: a scenario sits in its organization's sector, a consortium, site or dataset
at the mean angle of its scenarios, a robot beside its site. On each ring the nodes keep that
order but are spread evenly, so none overlap and the picture only depends on the data.
Coordinates lie in [0, 1] x [0, 1]; the chart fits them inside its box.
"""

import math
from collections import defaultdict
from typing import Any

RINGS = {
    "organization": 0.0,
    "consortium": 0.22,
    "scenario": 0.42,
    "site": 0.64,
    "dataset": 0.64,
    "robot": 0.86,
}
ORDER = ("organization", "scenario", "consortium", "site", "dataset", "robot")


def _mean_angle(angles: list[float]) -> float:
    """The circular mean (so 350 and 10 degrees average to 0, not 180)."""
    return math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles)) % (2 * math.pi)


def _spread(wanted: dict[str, float]) -> dict[str, float]:
    """Angles for the nodes of one ring: their order kept, spaced evenly, the first where it wanted."""
    ordered = sorted(wanted, key=lambda n: (wanted[n], n))
    if not ordered:
        return {}
    start = wanted[ordered[0]]
    step = 2 * math.pi / len(ordered)
    return {n: (start + i * step) % (2 * math.pi) for i, n in enumerate(ordered)}


def layout(nodes: list[dict[str, Any]], links: list[dict[str, str]]) -> dict[str, tuple[float, float]]:
    """Node id -> (x, y) in the unit square, the same for the same nodes and links."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for link in links:
        neighbours[link["source"]].add(link["target"])
        neighbours[link["target"]].add(link["source"])
    by_kind: dict[str, list[str]] = defaultdict(list)
    for n in sorted(nodes, key=lambda n: n["id"]):
        by_kind[n["category"]].append(n["id"])
    scenarios_by_org: dict[str, list[str]] = defaultdict(list)
    for sid in by_kind["scenario"]:
        owner = min((m for m in neighbours[sid] if m.startswith("organization:")), default="")
        scenarios_by_org[owner].append(sid)
    angle: dict[str, float] = {}
    ordered_scenarios = [sid for org in sorted(scenarios_by_org) for sid in scenarios_by_org[org]]
    angle |= _spread(
        {sid: i * 2 * math.pi / max(1, len(ordered_scenarios)) for i, sid in enumerate(ordered_scenarios)}
    )
    orgs = by_kind["organization"]
    angle |= _spread(
        {
            o: _mean_angle([angle[s] for s in scenarios_by_org.get(o, [])])
            if scenarios_by_org.get(o)
            else 0.0
            for o in orgs
        }
    )
    for kind in ORDER[2:]:
        wanted = {}
        for node in by_kind[kind]:
            placed = [angle[m] for m in sorted(neighbours[node]) if m in angle]
            wanted[node] = _mean_angle(placed) if placed else 0.0
        angle |= _spread(wanted)
    out = {}
    for kind, ids in by_kind.items():
        radius = RINGS.get(kind, 0.9) if not (kind == "organization" and len(ids) > 1) else 0.1
        for node in ids:
            out[node] = (0.5 + radius / 2 * math.cos(angle[node]), 0.5 + radius / 2 * math.sin(angle[node]))
    return out
