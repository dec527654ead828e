"""Integrity review: flagged recordings with their evidence, and clearing a flag with a reason."""

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.evidence.flags import clear_flag
from robotwork.policy import Policy
from robotwork.registry.models import Flag, Recording
from robotwork.web.views.robot import flag_row, recording_row


def integrity_view(engine: Engine, policy: Policy) -> dict[str, Any]:
    """Open flags (they keep their recording out of every figure), then cleared ones with who
    cleared them and why; each flag carries its recording, so the page can link the robot."""
    with Session(engine) as session:
        query = (
            select(Flag, Recording)
            .join(Recording, Recording.recording_id == Flag.recording_id)
            .order_by(Flag.flagged_at.desc(), Flag.id.desc())
        )
        rows = [
            dict(flag_row(flag), recording=recording_row(rec, [], policy))
            for flag, rec in session.execute(query)
        ]
    return {
        "open": [r for r in rows if r["cleared_at"] is None],
        "cleared": [r for r in rows if r["cleared_at"] is not None],
    }


def clear_flag_as(
    engine: Engine, flag_id: int, *, reason: str, actor: str, address: str | None
) -> dict[str, Any]:
    """Clear one flag in its own transaction (the change history names `actor` and `reason`);
    `UnknownRecord` for no such flag, `RobotworkError` for an empty reason. Callers check roles."""
    with Session(engine) as session, session.begin():
        return flag_row(clear_flag(session, flag_id, reason=reason, actor=actor, address=address))
