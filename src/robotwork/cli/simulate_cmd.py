"""`robotwork simulate`: the national program at full size (see robotwork.demo.national)."""

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, TaskID

from robotwork.cli.compliance_cmd import parse_as_of
from robotwork.cli.output import say, stderr
from robotwork.cli.state import State


def simulate_command(
    ctx: typer.Context,
    robots: Annotated[int, typer.Option(min=1, help="Robots in the program.")] = 10_000,
    days: Annotated[int, typer.Option(min=1, help="Days of daily summaries before --until.")] = 90,
    raw_robots: Annotated[
        int, typer.Option(min=0, help="Robots that send real MCAP recordings, ingested for real.")
    ] = 50,
    until: Annotated[
        str | None, typer.Option(help="The day after the last simulated day (default: today).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same program.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was written as JSON.")] = False,
) -> None:
    """Simulate a national program at full size: ~2,000 scenarios, robots, deployments, summaries."""
    from robotwork.demo.national import simulate_program  # loaded only when asked

    state: State = ctx.obj
    started = time.perf_counter()
    with Progress(console=stderr, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = progress.add_task(f"simulating {what}", total=total)
            progress.update(tasks[what], completed=done)

        done = simulate_program(
            state.engine,
            state.store,
            state.policy,
            robots=robots,
            days=days,
            raw_robots=raw_robots,
            until=parse_as_of(until, state),
            folder=Path(state.home) / "simulated",
            seed=seed,
            on_progress=advance,
        )
    seconds = time.perf_counter() - started
    if as_json:
        print(json.dumps({**vars(done), "seconds": round(seconds, 1)}))
        return
    say(
        f"simulated {done.robots:,} robots on {done.scenarios:,} scenarios: {done.summaries:,} daily "
        f"summaries and {done.raw_recordings:,} real recordings ingested, in {seconds:.1f} s"
    )
