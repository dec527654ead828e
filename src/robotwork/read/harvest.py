"""The harvest, as an algorithm team reads it: the task episodes the program has recorded, by
task, robot model, control mode and outcome, with their hours and the models' interventions, and
the `robotwork dataset export` options that would select them.

Episodes are counted by the database, grouped by task, model, control mode, outcome and robot
(bounded by robots x tasks x modes x outcomes, not by episodes), so no episode is loaded into
Python; only the groups of robots in the reader's scope are kept (the page says how many robots
it left out). An episode's control mode is the operating mode it spent most time in, as the exporter's
``--mode`` reads it, worked out in SQL from its per-mode seconds. Episodes of recordings with an
open integrity flag are left out, as the exporter leaves them out, so what is shown is what an
export would contain. The intervention counts are the `robot_level` figure rows, not recounted.

The groups are kept per registry (a few, most recent first) under the token of the stored
evidence view (`evidence.standing.ensure_view`), which changes whenever a recording is taken in,
a flag raised or cleared, or the registry changed: every reader's harvest until then is cut
from the same groups, at the cost of one query after each change.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Engine, and_, case, func, literal, literal_column, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from robotwork.access import ReadScope
from robotwork.datasets.selection import OPERATING_MODES, OUTCOMES
from robotwork.evidence.figures import flagged_recording_ids
from robotwork.evidence.metrics import gather, robot_level
from robotwork.policy import Policy
from robotwork.read.kept import Kept
from robotwork.read.models import ReadModel
from robotwork.registry.models import Episode, Recording, Robot

GROUPS = ("task", "model", "mode", "outcome")
_KEPT: Kept[list[dict[str, Any]]] = Kept()
NO_VALUE = "—"  # the group of episodes without a task or without operating time


class HarvestGroup(ReadModel):
    """Episodes and their hours for one value of a grouping (a task, a model, a mode, an outcome)."""

    value: str
    episodes: int
    hours: float


class ModelInterventions(ReadModel):
    """A robot model's interventions over its operating hours (robots in scope)."""

    model: str
    interventions: int
    operating_hours: float
    interventions_per_hour: float | None


class Harvest(ReadModel):
    """What data exists for the reader, narrowed by `filters`, and how to export it."""

    as_of: date
    filters: dict[str, str | None]
    choices: dict[str, list[str]]
    episodes: int
    hours: float
    robots: int
    robots_hidden: int
    by: dict[str, list[HarvestGroup]]
    interventions_by_model: list[ModelInterventions]
    export_options: list[str]


def dominant_mode(mode_seconds: dict[str, float] | None) -> str | None:
    """The operating mode an episode spent most of its time in (the exporter's ``--mode`` asks
    for more than half), or None for an episode with no operating time; a tie goes to the first
    mode in alphabetical order, as in `dominant_mode_sql`."""
    seconds = {m: float(s) for m, s in (mode_seconds or {}).items() if m in OPERATING_MODES and s}
    return max(sorted(seconds), key=lambda m: seconds[m]) if seconds else None


def _mode_case(seconds: dict[str, Any]) -> ColumnElement[Any]:
    """The mode with the most seconds (over zero), a tie to the first in alphabetical order: each
    mode in turn wins when it is at least every mode after it (an earlier one at least as large
    would have won already)."""
    modes = sorted(OPERATING_MODES)
    whens = [
        (and_(seconds[m] > 0, *(seconds[m] >= seconds[later] for later in modes[i + 1 :])), literal(m))
        for i, m in enumerate(modes)
    ]
    return case(*whens, else_=None)


def _seconds(mode_seconds: Any) -> dict[str, ColumnElement[Any]]:
    return {m: func.coalesce(mode_seconds[m].as_float(), 0.0) for m in OPERATING_MODES}


def dominant_mode_sql(mode_seconds: Any = Episode.mode_seconds) -> ColumnElement[Any]:
    """`dominant_mode` as an SQL expression over a JSON column of per-mode seconds (by default
    `Episode.mode_seconds`), the same on SQLite and PostgreSQL."""
    return _mode_case(_seconds(mode_seconds))


def _groups(engine: Engine) -> list[dict[str, Any]]:
    """Finished episodes of unflagged recordings, counted per task, model, mode, outcome, robot.

    Each episode's seconds per mode are read out of its JSON once (an inner query), then the
    groups are counted by the mode they make: a third less time than the expression repeated."""
    per_episode = (
        select(
            Episode.task,
            Robot.model.label("model"),
            Episode.outcome,
            Episode.robot_serial,
            (Episode.end_ns - Episode.start_ns).label("ns"),
            *(column.label(f"s_{m}") for m, column in _seconds(Episode.mode_seconds).items()),
        )
        .join(Recording, Recording.recording_id == Episode.recording_id)
        .join(Robot, Robot.serial == Recording.robot_serial)
        .where(Episode.recording_id.not_in(flagged_recording_ids()), Episode.end_ns.is_not(None))
        .where(Episode.outcome.in_(OUTCOMES))
        .subquery()
    )
    e = per_episode.c
    mode = _mode_case({m: e[f"s_{m}"] for m in OPERATING_MODES}).label("dominant_mode")
    query = select(
        e.task, e.model, mode, e.outcome, e.robot_serial, func.count().label("episodes"), func.sum(e.ns)
    ).group_by(e.task, e.model, literal_column("dominant_mode"), e.outcome, e.robot_serial)
    with Session(engine) as session:
        return [
            {
                "task": task or "",
                "model": model,
                "mode": mode_,
                "outcome": outcome,
                "robot_serial": serial,
                "episodes": int(n),
                "hours": int(ns or 0) / 3.6e12,
            }
            for task, model, mode_, outcome, serial, n, ns in session.execute(query)
        ]


def _kept_groups(engine: Engine, policy: Policy, as_of: date) -> list[dict[str, Any]]:
    """`_groups`, counted again only when the stored evidence has changed since."""
    return _KEPT.get(engine, policy, as_of, lambda: _groups(engine))


def _grouped(rows: list[dict[str, Any]], key: str) -> list[HarvestGroup]:
    """Episodes and hours per value of `key`, most hours first."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for r in rows:
        cell = sums[r[key] or NO_VALUE]
        cell[0] += r["episodes"]
        cell[1] += r["hours"]
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return [HarvestGroup(value=v, episodes=int(n), hours=round(h, 2)) for v, (n, h) in ordered]


def _interventions(engine: Engine, policy: Policy, as_of: date, scope: ReadScope) -> list[ModelInterventions]:
    robots = scope.robot_rows(robot_level(gather(engine, policy, as_of)))
    sums: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for r in robots:
        sums[r["model"]][0] += r["interventions"]
        sums[r["model"]][1] += r["operating_hours"]
    return [
        ModelInterventions(
            model=model,
            interventions=int(n),
            operating_hours=round(h, 2),
            interventions_per_hour=round(n / h, 4) if h else None,
        )
        for model, (n, h) in sorted(sums.items())
        if h  # a model whose robots in scope have not operated yet has no rate to show
    ]


def harvest(engine: Engine, policy: Policy, as_of: date, scope: ReadScope, **filters: str | None) -> Harvest:
    """The harvest in scope, narrowed by `filters` (task, model, mode, outcome; None for any)."""
    every = _kept_groups(engine, policy, as_of)
    mine = [g for g in every if scope.sees_robot(g["robot_serial"])]
    hidden = len({g["robot_serial"] for g in every} - {g["robot_serial"] for g in mine})
    wanted = {k: v for k, v in filters.items() if k in GROUPS and v}
    rows = [g for g in mine if all(g[k] == v for k, v in wanted.items())]
    return Harvest(
        as_of=as_of,
        filters={k: filters.get(k) for k in GROUPS},
        choices={k: sorted({g[k] for g in mine if g[k]}) for k in GROUPS},
        episodes=sum(g["episodes"] for g in rows),
        hours=round(sum(g["hours"] for g in rows), 2),
        robots=len({g["robot_serial"] for g in rows}),
        robots_hidden=hidden,
        by={k: _grouped(rows, k) for k in GROUPS},
        interventions_by_model=_interventions(engine, policy, as_of, scope),
        export_options=_export_options(wanted),
    )


def _export_options(wanted: dict[str, str]) -> list[str]:
    """The `robotwork dataset export` options selecting these episodes (task is not one: an
    export takes every task of the selection)."""
    return [f"--{k} {v}" for k, v in wanted.items() if k in ("model", "mode", "outcome")]
