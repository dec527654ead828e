"""`robotwork audit`: the audit trail (every write and login), newest first."""

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from robotwork.audit import list_events
from robotwork.cli.output import print_json, stdout
from robotwork.cli.state import State
from robotwork.errors import RobotworkError


def _since(text: str) -> datetime:
    """A date or date-time (ISO); without a zone it is UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RobotworkError(f"--since {text!r}: not a date or date-time (YYYY-MM-DD[THH:MM])") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show who did what, when and from which address (refused attempts included)."""
    state: State = ctx.obj
    rows = list_events(
        state.engine, since=_since(since) if since else None, actor=actor, action=action, limit=limit
    )
    if as_json:
        print_json(rows)
        return
    table = Table("when", "who", "address", "what", "on", "outcome")
    for r in rows:
        table.add_row(r["at"], r["actor"], r["address"] or "", r["action"], r["target"] or "", r["outcome"])
    stdout.print(table)
