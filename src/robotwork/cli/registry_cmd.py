"""`robotwork import` and `robotwork history`."""

from pathlib import Path
from typing import Annotated, Any

import typer

from robotwork.cli.output import (
    DEFAULT_LIMIT,
    Col,
    JsonOption,
    WideOption,
    cell,
    print_json,
    print_lines,
    print_table,
    rerun,
    say,
    stdout,
    t,
)
from robotwork.cli.state import State


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
    limit: Annotated[
        int, typer.Option(min=0, help="Problems (and warnings) to print (0: all; --json has all).")
    ] = DEFAULT_LIMIT,
) -> None:
    """Import the national nomination template: all-or-nothing unless --partial."""
    from robotwork.registry.importer import import_file

    state: State = ctx.obj
    report = import_file(state.engine, file, state.policy, partial=partial, actor=state.actor)
    if as_json:
        print_json(report.to_json())
    else:
        lines = [str(p) for p in report.problems] + [f"warning: {w}" for w in report.warnings]
        for line in lines[:limit] if limit else lines:
            stdout.print(line, markup=False, soft_wrap=True)
        if limit and len(lines) > limit:
            print_lines(
                f"showing {limit:,} of {len(lines):,}; all of them: {rerun(ctx, limit=0)} (or --json)"
            )
    say(report.summary())
    raise typer.Exit(0 if report.ok else 1)


def _values(value: Any) -> str:
    return "" if not value else cell(value)


_HISTORY_COLUMNS = (
    Col("changed_at", "when", fmt=lambda v: v[:16].replace("T", " "), term="audit.at"),
    Col("actor", "who", rank=2, term="audit.actor"),
    Col("record", "record", flex=True, least=20, term="cli.col.record"),
    Col("action", "action", rank=1, term="audit.action"),
    Col("source", "source", wide=True, term="meta.source"),
    Col("old", "old", rank=3, flex=True, fmt=_values, term="cli.col.old"),
    Col("new", "new", rank=3, flex=True, fmt=_values, term="cli.col.new"),
)


def history_command(
    ctx: typer.Context,
    entity: Annotated[str | None, typer.Option(help="Sheet name, e.g. scenarios.")] = None,
    key: Annotated[str | None, typer.Option(help="Record key, e.g. SC-GD-0001.")] = None,
    limit: Annotated[int, typer.Option(help="Newest changes to show.")] = 50,
    as_json: JsonOption = False,
    wide: WideOption = False,
) -> None:
    """Show the change history: who changed which record when, old and new values."""
    from robotwork.registry.history import list_changes

    state: State = ctx.obj
    rows = list_changes(state.engine, entity=entity, key=key, limit=limit)
    if as_json:
        print_json(rows)
        return
    print_table(
        [dict(r, record=f"{r['entity']}/{r['key']}") for r in rows],
        _HISTORY_COLUMNS,
        title=t("cli.history.newest", "the {n} newest changes", n=f"{limit:,}")
        if len(rows) == limit
        else None,
        wide=wide,
        empty=t("cli.history.empty", "no change"),
    )
    if len(rows) == limit:
        print_lines(t("cli.older", "older ones: {command} (or --json)", command=rerun(ctx, limit=limit * 4)))
