"""`robotwork policy show`: the policy in force, as TOML or JSON."""

import sys
from typing import Annotated

import typer

from robotwork.cli.output import print_json
from robotwork.cli.state import State
from robotwork.policy import default_policy_text

app = typer.Typer(help="The plan's numbers and robotwork's definitions.", no_args_is_help=True)


@app.command("show")
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of TOML.")] = False,
) -> None:
    """Print the policy in force (the shipped default unless --policy names a file)."""
    state: State = ctx.obj
    policy = state.policy
    if as_json:
        print_json({"source": policy.source, **policy.raw})
    else:
        text = default_policy_text() if state.policy_path is None else state.policy_path.read_text("utf-8")
        sys.stdout.write(text)
