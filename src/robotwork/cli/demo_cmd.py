"""`robotwork demo`: fill the registry with a believable national program."""

from typing import Annotated

import typer

from robotwork.cli.output import say


def demo_command(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option(help="Same seed, same program.")] = 0,
) -> None:
    """Build the demo program (31 provinces, central SOEs, scenarios, consortia, robots)."""
    from robotwork.demo.loader import load_demo_program  # the generator is only loaded when asked

    state = ctx.obj
    report = load_demo_program(state.engine, state.policy, seed=seed, actor=state.actor)
    for line in report:
        say(line)
