"""Consortium completeness: a consortium needs a user, an integrator and an algorithm team."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.registry.models import Consortium, ConsortiumMember
from robotwork.registry.template import MEMBER_ROLES


def incomplete_consortia(session: Session, ids: Iterable[str] | None = None) -> dict[str, list[str]]:
    """Consortia (all, or those in `ids`) that lack a role, with the roles they lack."""
    query = select(Consortium.consortium_id)
    wanted = None if ids is None else set(ids)
    roles: dict[str, set[str]] = {
        cid: set() for cid in session.scalars(query) if wanted is None or cid in wanted
    }
    for cid, role in session.execute(select(ConsortiumMember.consortium_id, ConsortiumMember.role)):
        if cid in roles:
            roles[cid].add(role)
    return {
        cid: [r for r in MEMBER_ROLES if r not in have]
        for cid, have in sorted(roles.items())
        if set(MEMBER_ROLES) - have
    }
