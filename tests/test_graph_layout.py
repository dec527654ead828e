"""The connections graph: a fixed layout inside the unit square for any organization, the
overview of the provinces with the most verified robots, a legend of the kinds present."""

import math

from program_app import app, signed_in

from robotwork.read.graph_layout import layout

__all__ = ["app"]  # the module's program, a fixture


def _program(orgs: int, scenarios: int, robots: int) -> tuple[list[dict], list[dict]]:
    nodes, links = [], []
    for o in range(orgs):
        nodes.append({"id": f"organization:O{o}", "category": "organization"})
        for s in range(scenarios):
            sid = f"scenario:S{o}-{s:03d}"
            nodes.append({"id": sid, "category": "scenario"})
            links.append({"source": f"organization:O{o}", "target": sid})
            site = f"site:T{o}-{s % 4}"
            if not any(n["id"] == site for n in nodes):
                nodes.append({"id": site, "category": "site"})
            links.append({"source": sid, "target": site})
            for r in range(robots):
                rid = f"robot:R{o}-{s}-{r}"
                nodes.append({"id": rid, "category": "robot"})
                links.append({"source": rid, "target": site})
        nodes.append({"id": f"consortium:C{o}", "category": "consortium"})
        links.append({"source": f"consortium:C{o}", "target": f"scenario:S{o}-000"})
    return nodes, links


def test_layout_is_deterministic_inside_the_square_and_never_stacks_nodes():
    for orgs, scenarios, robots in ((1, 1, 0), (1, 40, 6), (3, 25, 0), (1, 200, 2)):
        nodes, links = _program(orgs, scenarios, robots)
        places = layout(nodes, links)
        assert places == layout(list(reversed(nodes)), list(reversed(links)))  # input order is irrelevant
        assert set(places) == {n["id"] for n in nodes}
        assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in places.values())
        points = sorted(places.values())
        assert all(math.dist(a, b) > 1e-6 for a, b in zip(points, points[1:], strict=False))


def test_a_scenario_sits_in_its_organizations_sector():
    nodes, links = _program(3, 10, 0)
    places = layout(nodes, links)

    def angle(node_id: str) -> float:
        x, y = places[node_id]
        return math.atan2(y - 0.5, x - 0.5)

    for o in range(3):
        gap = abs(math.remainder(angle(f"organization:O{o}") - angle(f"scenario:S{o}-005"), 2 * math.pi))
        assert gap < math.pi / 3


def test_graph_page_legend_has_only_present_kinds_and_fixed_places(app):
    client = signed_in(app, "min")
    first, again = client.get("/graph?lang=en").text, client.get("/graph?lang=en").text
    assert first == again  # the same picture on every load
    overview = first.split('data-chart="graph"')[1]
    assert '"Robot"' not in overview and '"Site"' not in overview  # none in the overview
    full = client.get("/graph?org=CN-GD&lang=en").text.split('data-chart="graph"')[1]
    assert '"Robot"' in full and '"Dataset"' not in full  # a robot is deployed; nothing exported yet
    assert '"x":' in full and "Find a node" in client.get("/graph?lang=en").text
