"""The harvest, as an algorithm team reads it: the task episodes the program has recorded, by
task, robot model, control mode and outcome, with their hours and the models' interventions, and
the `robotwork dataset export` options that would select them.

Episodes are raw evidence, so only those of robots in the reader's scope are counted (the page
says how many robots it left out). Episodes of recordings with an open integrity flag are left
out, as the exporter leaves them out, so what is shown is what an export would contain. The
intervention counts are the stored `robot_level` figure rows, not recounted here.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.access import ReadScope
from robotwork.datasets.selection import OPERATING_MODES, OUTCOMES
from robotwork.evidence.metrics import gather, robot_level
from robotwork.policy import Policy
from robotwork.registry.models import Episode, Flag, Recording, Robot

GROUPS = ("task", "model", "mode", "outcome")


def dominant_mode(mode_seconds: dict[str, float] | None) -> str | None:
    """The operating mode an episode spent most of its time in (the exporter's ``--mode`` asks
    for more than half), or None for an episode with no operating time."""
    seconds = {m: float(s) for m, s in (mode_seconds or {}).items() if m in OPERATING_MODES and s}
    return max(sorted(seconds), key=lambda m: seconds[m]) if seconds else None


def _episodes(engine: Engine, scope: ReadScope) -> tuple[list[dict[str, Any]], int]:
    """Finished episodes of unflagged recordings in scope, and how many robots were left out."""
    flagged = select(Flag.recording_id).where(Flag.cleared_at.is_(None))
    query = (
        select(Episode, Robot.model)
        .join(Recording, Recording.recording_id == Episode.recording_id)
        .join(Robot, Robot.serial == Recording.robot_serial)
        .where(Episode.recording_id.not_in(flagged), Episode.end_ns.is_not(None))
        .where(Episode.outcome.in_(OUTCOMES))
    )
    rows, hidden = [], set()
    with Session(engine) as session:
        for ep, model in session.execute(query):
            if not scope.sees_robot(ep.robot_serial):
                hidden.add(ep.robot_serial)
                continue
            rows.append(
                {
                    "task": ep.task or "",
                    "model": model,
                    "mode": dominant_mode(ep.mode_seconds),
                    "outcome": ep.outcome,
                    "hours": ((ep.end_ns or ep.start_ns) - ep.start_ns) / 3.6e12,
                    "robot_serial": ep.robot_serial,
                }
            )
    return rows, len(hidden)


def _grouped(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Episodes and hours per value of `key`, most hours first."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for r in rows:
        cell = sums[r[key] or "—"]
        cell[0] += 1
        cell[1] += r["hours"]
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return [{"value": v, "episodes": int(n), "hours": round(h, 2)} for v, (n, h) in ordered]


def harvest_view(
    engine: Engine, policy: Policy, as_of: date, scope: ReadScope, **filters: str | None
) -> dict[str, Any]:
    """The harvest in scope, narrowed by `filters` (task, model, mode, outcome; None for any)."""
    everything, hidden = _episodes(engine, scope)
    wanted = {k: v for k, v in filters.items() if k in GROUPS and v}
    rows = [r for r in everything if all(r[k] == v for k, v in wanted.items())]
    robots = scope.robot_rows(robot_level(gather(engine, policy, as_of)))
    interventions: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for r in robots:
        interventions[r["model"]][0] += r["interventions"]
        interventions[r["model"]][1] += r["operating_hours"]
    return {
        "as_of": as_of.isoformat(),
        "filters": {k: filters.get(k) for k in GROUPS},
        "choices": {k: sorted({r[k] for r in everything if r[k]}) for k in GROUPS},
        "episodes": len(rows),
        "hours": round(sum(r["hours"] for r in rows), 2),
        "robots": len({r["robot_serial"] for r in rows}),
        "robots_hidden": hidden,
        "by": {k: _grouped(rows, k) for k in GROUPS},
        "interventions_by_model": [
            {
                "model": model,
                "interventions": int(n),
                "operating_hours": round(h, 2),
                "interventions_per_hour": round(n / h, 4) if h else None,
            }
            for model, (n, h) in sorted(interventions.items())
        ],
        "export_options": _export_options(wanted),
    }


def _export_options(wanted: dict[str, str]) -> list[str]:
    """The `robotwork dataset export` options selecting these episodes (task is not one: an
    export takes every task of the selection)."""
    return [f"--{k} {v}" for k, v in wanted.items() if k in ("model", "mode", "outcome")]
