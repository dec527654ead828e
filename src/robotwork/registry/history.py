"""The registry's change history as people read it: who changed which record when, old and new."""

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.registry.models import Change


def list_changes(
    engine: Engine, *, entity: str | None = None, key: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """The newest `limit` changes, newest first, of one sheet (`entity`) and record (`key`) when
    given; the rows `robotwork history --json` prints."""
    query = select(Change).order_by(Change.id.desc()).limit(limit)
    if entity:
        query = query.where(Change.entity == entity)
    if key:
        query = query.where(Change.record_key == key)
    with Session(engine) as session:
        return [
            {
                "id": c.id,
                "entity": c.entity,
                "key": c.record_key,
                "action": c.action,
                "old": c.old,
                "new": c.new,
                "actor": c.actor,
                "source": c.source,
                "changed_at": c.changed_at.isoformat(),
            }
            for c in session.scalars(query)
        ]
