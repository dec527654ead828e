"""`robotwork doctor`: registry against store, repaired where it can be."""

from typing import Annotated

import typer

from robotwork.cli.output import print_json, say
from robotwork.cli.state import State
from robotwork.ingest.doctor import checkup
from robotwork.intake import Intake


def doctor_command(
    ctx: typer.Context,
    check: Annotated[bool, typer.Option("--check", help="Only report; change nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check that every counted recording has its files and evidence and that no published file
    lacks a registry row; finish stopped ingests and remove leftovers. Exit 1 if problems remain."""
    state: State = ctx.obj
    intake = Intake(state.engine, state.store, state.policy, actor=state.actor)

    def finish(recording_id: str) -> str:
        result = intake.finish(recording_id)
        return "someone else is on it" if result is None else result.status

    report = checkup(state.engine, state.store, repair=not check, finish=finish)
    if as_json:
        print_json({"done": report.done, "problems": report.problems})
    else:
        for line in report.done:
            say(line)
        for line in report.problems:
            say(f"problem: {line}")
        say(f"doctor: {len(report.done)} repair(s), {len(report.problems)} problem(s) left")
    raise typer.Exit(1 if report.problems else 0)
