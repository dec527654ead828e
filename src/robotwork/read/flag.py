"""An integrity flag, one shape for the API, the pages, the integrity review and the CLI.

Before this there were three (`flag_json`, the pages' `flag_row`, and the recording detail's
`{id, rule, evidence, cleared}`); `Flag` is their union, so no reader lost a key. Flags are read
within the reader's robots (`access.ReadScope`): a flag on another's robot is not listed.
"""

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.access import ReadScope
from robotwork.evidence.flags import clear_flag
from robotwork.read.models import ReadModel
from robotwork.registry import models


class Flag(ReadModel):
    """A flag with its evidence and, once cleared, who cleared it and why (`cleared` says whether)."""

    id: int
    recording_id: str
    robot_serial: str | None
    source_name: str | None
    rule: str
    evidence: dict[str, Any]
    flagged_at: str
    cleared: bool
    cleared_at: str | None
    cleared_by: str | None
    clear_reason: str | None


class FlagList(ReadModel):
    """Flags of the robots in the reader's scope, oldest first."""

    rows: list[Flag]


def flag_of(flag: models.Flag, recording: models.Recording | None) -> Flag:
    """The read model of one flag (`recording` names its robot and file; None leaves them out)."""
    return Flag(
        id=flag.id,
        recording_id=flag.recording_id,
        robot_serial=recording.robot_serial if recording else None,
        source_name=recording.source_name if recording else None,
        rule=flag.rule,
        evidence=dict(flag.evidence or {}),
        flagged_at=flag.flagged_at.isoformat(timespec="seconds"),
        cleared=flag.cleared_at is not None,
        cleared_at=flag.cleared_at.isoformat(timespec="seconds") if flag.cleared_at else None,
        cleared_by=flag.cleared_by,
        clear_reason=flag.clear_reason,
    )


def flagged(scope: ReadScope, *, include_cleared: bool) -> Any:
    """The query of flags with their recordings, within the scope (open ones only unless asked)."""
    query = select(models.Flag, models.Recording).join(
        models.Recording, models.Recording.recording_id == models.Flag.recording_id
    )
    if scope.robots is not None:
        query = query.where(models.Recording.robot_serial.in_(sorted(scope.robots)))
    if not include_cleared:
        query = query.where(models.Flag.cleared_at.is_(None))
    return query


def list_flags(engine: Engine, scope: ReadScope, *, include_cleared: bool = False) -> FlagList:
    """Flagged recordings of the robots in the scope, oldest flag first (`/api/v1/flags`)."""
    query = flagged(scope, include_cleared=include_cleared).order_by(models.Flag.id)
    with Session(engine) as session:
        return FlagList(rows=[flag_of(f, r) for f, r in session.execute(query)])


def clear_flag_as(engine: Engine, flag_id: int, *, reason: str, actor: str, address: str | None) -> Flag:
    """Clear one flag in its own transaction (the change history names `actor` and `reason`);
    `UnknownRecord` for no such flag, `RobotworkError` for an empty reason. Callers check roles."""
    with Session(engine) as session, session.begin():
        flag = clear_flag(session, flag_id, reason=reason, actor=actor, address=address)
        return flag_of(flag, session.get_one(models.Recording, flag.recording_id))
