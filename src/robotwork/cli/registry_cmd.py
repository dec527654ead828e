"""`robotwork import` and `robotwork history`."""

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.cli.output import print_json, say, stdout
from robotwork.cli.state import State
from robotwork.registry.importer import import_file
from robotwork.registry.models import Change


def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=".xlsx workbook, folder of .csv files, or .json")],
    partial: Annotated[
        bool,
        typer.Option(
            help="Import the good rows and report the bad ones "
            "(exit code 1 still tells that rows were refused)."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import the national nomination template: all-or-nothing unless --partial."""
    state: State = ctx.obj
    report = import_file(state.engine, file, state.policy, partial=partial, actor=state.actor)
    if as_json:
        print_json(report.to_json())
    else:
        for problem in report.problems:
            stdout.print(str(problem), markup=False, soft_wrap=True)
        for warning in report.warnings:
            stdout.print(f"warning: {warning}", markup=False, soft_wrap=True)
    say(report.summary())
    raise typer.Exit(0 if report.ok else 1)


def history_command(
    ctx: typer.Context,
    entity: Annotated[str | None, typer.Option(help="Sheet name, e.g. scenarios.")] = None,
    key: Annotated[str | None, typer.Option(help="Record key, e.g. SC-GD-0001.")] = None,
    limit: Annotated[int, typer.Option(help="Newest changes to show.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the change history: who changed which record when, old and new values."""
    state: State = ctx.obj
    query = select(Change).order_by(Change.id.desc()).limit(limit)
    if entity:
        query = query.where(Change.entity == entity)
    if key:
        query = query.where(Change.record_key == key)
    with Session(state.engine) as session:
        changes = list(session.scalars(query))
    rows: list[dict[str, Any]] = [
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
        for c in changes
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("when", "who", "record", "action", "old", "new")
    for r in rows:
        table.add_row(
            r["changed_at"][:19],
            r["actor"],
            f"{r['entity']}/{r['key']}",
            r["action"],
            str(r["old"] or ""),
            str(r["new"] or ""),
        )
    stdout.print(table)
