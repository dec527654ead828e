"""`robotwork metrics`, `robotwork flags list|clear` and `robotwork rebuild`."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.cli.compliance_cmd import parse_as_of
from robotwork.cli.options import RayAddress
from robotwork.cli.output import print_json, say, stderr, stdout
from robotwork.cli.state import State
from robotwork.evidence.derived import rebuild_all
from robotwork.evidence.flags import clear_flag, flag_json
from robotwork.evidence.metrics import metrics
from robotwork.evidence.standing import recount_all
from robotwork.registry.models import Flag, Recording

flags_app = typer.Typer(
    help="Integrity flags: recordings that do not count until cleared.", no_args_is_help=True
)


class Level(StrEnum):
    """The levels `robotwork metrics --by` knows."""

    robot = "robot"
    scenario = "scenario"
    province = "province"
    national = "national"


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, dict):
        return " ".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def metrics_command(
    ctx: typer.Context,
    by: Annotated[Level, typer.Option(help="Level of the rows.")] = Level.national,
    as_of: Annotated[str | None, typer.Option(help="Window end (YYYY-MM-DD; default today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Verified figures over the policy's trailing window, from the derived tables."""
    state: State = ctx.obj
    doc = metrics(state.engine, state.policy, parse_as_of(as_of, state), by.value)
    if as_json:
        print_json(doc)
        return
    rows = doc["rows"]
    table = Table(title=f"{by.value} metrics, window {doc['window']['from']} .. {doc['window']['to']}")
    keys = list(rows[0]) if rows else []
    for key in keys:
        table.add_column(key.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row[k]) for k in keys))
    stdout.print(table)


@flags_app.command("list")
def list_flags(
    ctx: typer.Context,
    all_flags: Annotated[bool, typer.Option("--all", help="Include cleared flags.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Flagged recordings with the evidence behind each flag."""
    state: State = ctx.obj
    query = select(Flag, Recording).join(Recording, Recording.recording_id == Flag.recording_id)
    if not all_flags:
        query = query.where(Flag.cleared_at.is_(None))
    with Session(state.engine) as session:
        rows = [flag_json(f, r) for f, r in session.execute(query.order_by(Flag.id))]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "rule", "robot", "recording", "evidence", "cleared")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["rule"],
            r["robot_serial"],
            r["recording_id"][:12],
            _cell(r["evidence"]),
            r["clear_reason"] or "",
        )
    stdout.print(table)


@flags_app.callback(invoke_without_command=True)
def flags_default(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """`robotwork flags` alone lists the open flags."""
    if ctx.invoked_subcommand is None:
        list_flags(ctx, all_flags=False, as_json=as_json)


@flags_app.command("clear")
def clear(
    ctx: typer.Context,
    flag_id: Annotated[int, typer.Argument(help="The flag's id (see `robotwork flags`).")],
    reason: Annotated[str, typer.Option(help="Why the recording may count after all.")],
) -> None:
    """Clear a flag with a reason; the change history records who and why."""
    state: State = ctx.obj
    with Session(state.engine) as session, session.begin():
        flag = clear_flag(session, flag_id, reason=reason, actor=state.actor)
        say(f"flag {flag.id} ({flag.rule}) on recording {flag.recording_id[:12]} cleared")


def rebuild_command(
    ctx: typer.Context,
    ray: Annotated[
        bool, typer.Option("--ray", help="Summarize recordings as Ray tasks; flags are still set in order.")
    ] = False,
    ray_address: RayAddress = None,
) -> None:
    """Recompute every derived table and flag from the raw telemetry."""
    state: State = ctx.obj
    started = datetime.now(UTC)
    summaries = None
    if ray or ray_address:
        from robotwork.cluster import Home, Runner, parallel_summaries

        home = Home.at(state.home, state.db_url, state.store_url, state.policy_path, state.actor)
        summaries = parallel_summaries(home, Runner(ray=True, address=ray_address))
    with Progress(console=stderr, transient=True) as progress:
        task = progress.add_task("rebuilding evidence", total=None)
        count = rebuild_all(
            state.engine,
            state.store,
            state.policy,
            on_recording=lambda _id: progress.advance(task),
            summaries=summaries,
        )
    recount_all(state.engine)
    seconds = (datetime.now(UTC) - started).total_seconds()
    say(f"rebuilt evidence of {count} recording(s) in {seconds:.1f} s")
