"""Consortia with their members by role: the one read behind the organization, scenario and
consortium pages and the progress reports."""

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.read.models import OrgName, ReadModel
from robotwork.registry.consortia import incomplete_consortia
from robotwork.registry.models import Consortium, ConsortiumMember, Organization
from robotwork.registry.template import MEMBER_ROLES


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
