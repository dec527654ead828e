"""Chart payloads: a view's figures with the labels of the page language and the URL behind
each bar or node, for `static/app.js` to draw with ECharts. No figure is computed here."""

from typing import Any

from robotwork.read.graph import GraphView
from robotwork.read.graph_layout import layout
from robotwork.read.national import PayoffWeek
from robotwork.read.robot import TimelineDay
from robotwork.web.pages.page import Page


def autonomy_chart(levels: dict[str, int], page: Page) -> dict[str, Any]:
    """Robots per autonomy level; each bar opens the robots at that level."""
    return {
        "categories": [f"{level} {page._('level.' + level)}" for level in levels],
        "values": list(levels.values()),
        "urls": [page.link("/robots", level=level) for level in levels],
        "series": page._("chart.robots"),
    }


def payoff_chart(weeks: list[PayoffWeek], page: Page) -> dict[str, Any]:
    """Interventions per operating hour per week against cumulative operating hours."""
    return {
        "categories": [w.week.isoformat() for w in weeks],
        "rate": [w.interventions_per_hour for w in weeks],
        "cumulative": [w.cumulative_operating_hours for w in weeks],
        "hours": [w.operating_hours for w in weeks],
        "labels": {
            "rate": page._("chart.interventions_per_hour"),
            "cumulative": page._("chart.cumulative_hours"),
            "hours": page._("chart.weekly_hours"),
        },
    }


def timeline_chart(days: list[TimelineDay], page: Page) -> dict[str, Any]:
    """A robot's days: hours by control mode (flagged apart), tasks and interventions."""
    hours = (
        "autonomous_hours",
        "teleoperated_hours",
        "scripted_hours",
        "idle_hours",
        "flagged_operating_hours",
    )
    counts = ("tasks_succeeded", "tasks_failed", "tasks_aborted", "interventions")
    return {
        "categories": [d.day for d in days],
        "hours": [{"key": k, "name": page._("chart." + k), "values": [d[k] for d in days]} for k in hours],
        "counts": [{"key": k, "name": page._("chart." + k), "values": [d[k] for d in days]} for k in counts],
        "labels": {"hours": page._("chart.hours"), "count": page._("chart.count")},
    }


def declared_chart(scenarios: list[dict[str, Any]], page: Page) -> dict[str, Any]:
    """Declared against verified robots per scenario (those with either), each bar to its scenario."""
    rows = [s for s in scenarios if s["declared_robots_in_operation"] or s["robots_in_routine_operation"]]
    return {
        "categories": [s["scenario_id"] for s in rows],
        "titles": [s["title"] for s in rows],
        "declared": [s["declared_robots_in_operation"] or 0 for s in rows],
        "verified": [s["robots_in_routine_operation"] for s in rows],
        "urls": [page.link(f"/scenario/{s['scenario_id']}") for s in rows],
        "labels": {"declared": page._("common.declared"), "verified": page._("common.verified")},
    }


GRAPH_STYLE = {  # kind: (symbol size, colour); the colours of the page's palette
    "organization": (34, "#a8201a"),
    "consortium": (20, "#c9a227"),
    "scenario": (13, "#2f6db3"),
    "site": (11, "#0f766e"),
    "robot": (8, "#6b7a90"),
    "dataset": (16, "#7c3aed"),
}


def graph_chart(graph: GraphView, page: Page) -> dict[str, Any]:
    """The connections graph with names in the page language, a page URL on every node, its
    fixed place (`graph_layout.layout`) and a legend of only the kinds present."""
    present = [c for c in graph.categories if any(n["category"] == c for n in graph.nodes)]
    places = layout(graph.nodes, graph.links)
    nodes = [
        {
            "id": n["id"],
            "name": page.name(n),
            "category": present.index(n["category"]),
            "url": page.link(n["url"].split("#")[0])
            + ("#" + n["url"].split("#")[1] if "#" in n["url"] else ""),
            "key": n["key"],
            "x": round(places[n["id"]][0] * 1000, 1),
            "y": round(places[n["id"]][1] * 1000, 1),
            "size": GRAPH_STYLE[n["category"]][0],
        }
        for n in graph.nodes
    ]
    return {
        "nodes": nodes,
        "links": [{"source": link["source"], "target": link["target"]} for link in graph.links],
        "categories": [
            {"name": page._("graph." + c), "itemStyle": {"color": GRAPH_STYLE[c][1]}} for c in present
        ],
    }
