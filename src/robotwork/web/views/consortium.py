"""One consortium: its members, its scenarios on the ladder (and what would move each up a rung),
its robots, the recordings uploaded for them and the flags raised on that data.

Scenario figures are the public `scenario_level` rows; robots, recordings and flags are raw
evidence, so they are cut to the reader's scope (`ReadScope`) and the page says how many it left
out, like every other list.
"""

from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.access import ReadScope, consortium_robots
from robotwork.errors import UnknownRecord
from robotwork.evidence.metrics import gather, robot_level, scenario_level
from robotwork.policy import Policy
from robotwork.read.consortium import consortia
from robotwork.read import flag as flag_read
from robotwork.read import recording as recording_read
from robotwork.read.flag import flag_of
from robotwork.read.recording import recording_of
from robotwork.registry.models import Consortium, Flag, Recording

RECENT_UPLOADS = 50


def consortium_view(
    engine: Engine, policy: Policy, as_of: date, consortium_id: str, scope: ReadScope
) -> dict[str, Any]:
    """The consortium page's data; `UnknownRecord` when there is no such consortium."""
    with Session(engine) as session:
        consortium = session.get(Consortium, consortium_id)
        if consortium is None:
            raise UnknownRecord(f"consortium {consortium_id!r}: not in the registry")
        scenario_ids, name = list(consortium.scenario_ids), consortium.name
    found = [c for c in consortia(engine, scenario_ids) if c.consortium_id == consortium_id]
    card = (
        found[0]
        if found
        else {"consortium_id": consortium_id, "name": name, "members": {}, "missing_roles": []}
    )
    ev = gather(engine, policy, as_of)
    wanted = set(scenario_ids)
    scenarios = [r for r in scenario_level(ev) if r["scenario_id"] in wanted]
    serials = consortium_robots(engine, consortium_id)
    robots = [r for r in robot_level(ev) if r["robot_serial"] in serials]
    visible = {s for s in serials if scope.sees_robot(s)}
    uploads, flags = _uploads_and_flags(engine, policy, visible)
    return {
        "as_of": as_of.isoformat(),
        "consortium": card,
        "scenarios": scenarios,
        "rows": scope.robot_rows(robots),
        "rows_hidden": len(robots) - len(scope.robot_rows(robots)),
        "uploads": uploads,
        "flags": flags,
        "robots_hidden": len(serials) - len(visible),
    }


def _uploads_and_flags(
    engine: Engine, policy: Policy, serials: set[str]
) -> tuple[list[recording_read.Recording], list[flag_read.Flag]]:
    """The latest recordings of `serials` (newest first) and every flag on their recordings."""
    if not serials:
        return [], []
    with Session(engine) as session:
        recent = session.scalars(
            select(Recording)
            .where(Recording.robot_serial.in_(sorted(serials)))
            .order_by(Recording.ingested_at.desc(), Recording.recording_id)
            .limit(RECENT_UPLOADS)
        )
        uploads = [recording_of(rec, [], policy) for rec in recent]
        query = (
            select(Flag, Recording)
            .join(Recording, Recording.recording_id == Flag.recording_id)
            .where(Recording.robot_serial.in_(sorted(serials)))
            .order_by(Flag.flagged_at.desc(), Flag.id.desc())
        )
        flags = [flag_of(f, rec) for f, rec in session.execute(query)]
    return uploads, flags
