"""`robotwork audit`: the audit trail (every write and login), newest first."""

from datetime import UTC, datetime
from typing import Annotated

import typer

from robotwork.cli.output import (
    Col,
    JsonOption,
    WideOption,
    print_json,
    print_lines,
    print_table,
    rerun,
    t,
    word,
)
from robotwork.cli.state import State
from robotwork.errors import RobotworkError


def _since(text: str) -> datetime:
    """A date or date-time (ISO); without a zone it is UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RobotworkError(f"--since {text!r}: not a date or date-time (YYYY-MM-DD[THH:MM])") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_COLUMNS = (
    Col("at", "when", fmt=lambda v: v[:16].replace("T", " "), term="audit.at"),
    Col("actor", "who", flex=True, least=8, term="audit.actor"),
    Col("address", "address", rank=3, fmt=lambda v: v or "", term="audit.address"),
    Col("action", "what", term="audit.action"),
    Col("target", "on", rank=2, flex=True, fmt=lambda v: v or "", term="audit.target"),
    Col("outcome", "outcome", rank=1, fmt=word("audit.outcome."), term="audit.outcome"),
    Col("detail", "detail", wide=True, term="audit.detail"),
)


def audit_command(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="Only events from this date or date-time (ISO, UTC).")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Only events of this user (or device:SERIAL).")] = None,
    action: Annotated[
        str | None, typer.Option(help="Only this kind of act, e.g. import, login, token.revoke.")
    ] = None,
    limit: Annotated[int, typer.Option(help="Newest events to show.")] = 200,
    as_json: JsonOption = False,
    wide: WideOption = False,
) -> None:
    """Show who did what, when and from which address (refused attempts included)."""
    from robotwork.read.audit import audit_events

    state: State = ctx.obj
    found = audit_events(
        state.engine, since=_since(since) if since else None, actor=actor, action=action, limit=limit
    )
    rows = found.model_dump(mode="json")["rows"]
    if as_json:
        print_json(rows)
        return
    full = len(rows) == limit
    if full:
        title = t("cli.audit.newest", "the {n} newest events (times in UTC)", n=f"{limit:,}")
    else:
        title = t("cli.audit.title", "events, newest first (times in UTC)")
    print_table(rows, _COLUMNS, title=title, wide=wide, empty=t("audit.none", "no event"))
    if full:
        print_lines(t("cli.older", "older ones: {command} (or --json)", command=rerun(ctx, limit=limit * 4)))
