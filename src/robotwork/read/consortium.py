"""Consortia with their members by role (the one read behind the organization, scenario and
consortium pages and the progress reports), and one consortium's page.

The consortium page: its members, its scenarios on the ladder (and what would move each up a
rung), its robots, the recordings uploaded for them and the flags raised on that data. Scenario
figures are the public `scenario_level` rows; robots, recordings and flags are raw evidence, so
they are cut to the reader's scope (`ReadScope`) and the page says how many it left out, like
every other list.
"""

from collections import defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.access import ReadScope, consortium_robots
from robotwork.errors import UnknownRecord
from robotwork.evidence.metrics import gather, robot_level, scenario_level
from robotwork.policy import Policy
from robotwork.read.flag import Flag, flag_of
from robotwork.read.models import OrgName, ReadModel
from robotwork.read.recording import Recording, recording_of
from robotwork.registry import models
from robotwork.registry.consortia import incomplete_consortia
from robotwork.registry.models import Consortium, ConsortiumMember, Organization
from robotwork.registry.template import MEMBER_ROLES

RECENT_UPLOADS = 50


class ConsortiumCard(ReadModel):
    """A consortium with its members by role; `missing_roles` marks an incomplete one."""

    consortium_id: str
    name: str
    scenario_ids: list[str]
    members: dict[str, list[OrgName]]
    missing_roles: list[str]


def consortia(engine: Engine, scenario_ids: Collection[str] | None) -> list[ConsortiumCard]:
    """Consortia working on any of `scenario_ids` (None: every consortium), members by role
    (every role present, empty when nobody holds it), missing roles named."""
    wanted = None if scenario_ids is None else set(scenario_ids)
    with Session(engine) as session:
        chosen = [
            c
            for c in session.scalars(select(Consortium).order_by(Consortium.consortium_id))
            if wanted is None or wanted & set(c.scenario_ids or [])
        ]
        ids = sorted(c.consortium_id for c in chosen)
        missing = incomplete_consortia(session, ids)
        members: dict[str, dict[str, list[OrgName]]] = defaultdict(lambda: defaultdict(list))
        query = (
            select(ConsortiumMember, Organization)
            .outerjoin(Organization, Organization.code == ConsortiumMember.org_code)
            .where(ConsortiumMember.consortium_id.in_(ids))
            .order_by(ConsortiumMember.org_code)
        )
        for member, org in session.execute(query):
            name = (
                OrgName(code=org.code, name=org.name, name_zh=org.name_zh, kind=org.kind)
                if org is not None
                else OrgName(code=member.org_code, name=member.org_code)
            )
            members[member.consortium_id][member.role].append(name)
        return [
            ConsortiumCard(
                consortium_id=c.consortium_id,
                name=c.name,
                scenario_ids=list(c.scenario_ids or []),
                members={role: members[c.consortium_id].get(role, []) for role in MEMBER_ROLES},
                missing_roles=missing.get(c.consortium_id, []),
            )
            for c in chosen
        ]


class ConsortiumView(ReadModel):
    """The consortium page: the card, its scenarios' `scenario_level` rows, its robots'
    `robot_level` rows, the latest uploads and every flag, the last three within the scope."""

    as_of: date
    consortium: ConsortiumCard
    scenarios: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    rows_hidden: int
    uploads: list[Recording]
    flags: list[Flag]
    robots_hidden: int


def consortium(
    engine: Engine, policy: Policy, as_of: date, consortium_id: str, scope: ReadScope
) -> ConsortiumView:
    """The consortium page's read model; `UnknownRecord` when there is no such consortium."""
    with Session(engine) as session:
        found = session.get(Consortium, consortium_id)
        if found is None:
            raise UnknownRecord(
                f"consortium {consortium_id!r}: not in the registry", kind="consortium", key=consortium_id
            )
        scenario_ids = list(found.scenario_ids or [])
    [card] = [c for c in consortia(engine, None) if c.consortium_id == consortium_id]
    ev = gather(engine, policy, as_of)
    wanted = set(scenario_ids)
    serials = consortium_robots(engine, consortium_id)
    robots = [r for r in robot_level(ev) if r["robot_serial"] in serials]
    visible = {s for s in serials if scope.sees_robot(s)}
    uploads, flags = _uploads_and_flags(engine, policy, visible)
    rows = scope.robot_rows(robots)
    return ConsortiumView(
        as_of=as_of,
        consortium=card,
        scenarios=[r for r in scenario_level(ev) if r["scenario_id"] in wanted],
        rows=rows,
        rows_hidden=len(robots) - len(rows),
        uploads=uploads,
        flags=flags,
        robots_hidden=len(serials) - len(visible),
    )


def _uploads_and_flags(
    engine: Engine, policy: Policy, serials: set[str]
) -> tuple[list[Recording], list[Flag]]:
    """The latest recordings of `serials` (newest first) and every flag on their recordings."""
    if not serials:
        return [], []
    with Session(engine) as session:
        recent = session.scalars(
            select(models.Recording)
            .where(models.Recording.robot_serial.in_(sorted(serials)))
            .order_by(models.Recording.ingested_at.desc(), models.Recording.recording_id)
            .limit(RECENT_UPLOADS)
        )
        uploads = [recording_of(rec, [], policy) for rec in recent]
        query = (
            select(models.Flag, models.Recording)
            .join(models.Recording, models.Recording.recording_id == models.Flag.recording_id)
            .where(models.Recording.robot_serial.in_(sorted(serials)))
            .order_by(models.Flag.flagged_at.desc(), models.Flag.id.desc())
        )
        flags = [flag_of(f, rec) for f, rec in session.execute(query)]
    return uploads, flags
