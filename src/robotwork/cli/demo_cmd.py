"""`robotwork demo`: a believable national program, with weeks of operating data."""

from typing import Annotated

import typer
from rich.progress import Progress

from robotwork.cli.output import say, stderr
from robotwork.cli.state import State


def demo_command(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option(help="Same seed, same program.")] = 0,
    telemetry: Annotated[
        bool,
        typer.Option(help="Also write and ingest 45 days of MCAP recordings for the fleet (a few minutes)."),
    ] = True,
    live: Annotated[
        bool,
        typer.Option(
            "--live",
            help="Then run a small live fleet (simulated robots over MQTT, some dropping out) and the "
            "subscriber, until Ctrl-C: run robotwork serve beside it and open /live.",
        ),
    ] = False,
    live_for: Annotated[float | None, typer.Option(help="With --live: stop after this many seconds.")] = None,
    mqtt: Annotated[
        str, typer.Option(envvar="ROBOTWORK_MQTT", help="With --live: the MQTT broker URL.")
    ] = "mqtt://127.0.0.1:1883",
) -> None:
    """Build the demo program: 31 provinces, central SOEs, scenarios, consortia, robots, recordings."""
    from robotwork.demo.loader import (  # loaded only when asked
        create_demo_accounts,
        export_demo_dataset,
        load_demo_program,
        load_demo_telemetry,
    )

    state: State = ctx.obj
    program, lines = load_demo_program(state.engine, state.policy, seed=seed, actor=state.actor)
    if telemetry:
        with Progress(console=stderr, transient=True) as progress:
            task = progress.add_task("writing and ingesting demo recordings", total=None)
            lines += load_demo_telemetry(
                state.engine,
                state.store,
                state.policy,
                program,
                folder=state.home / "demo-recordings",
                seed=seed,
                today=state.today(),
                actor=state.actor,
                on_file=lambda i, n: progress.update(task, completed=i, total=n),
            )
        lines += export_demo_dataset(
            state.engine, state.store, state.policy, state.home / "datasets", actor=state.actor
        )
    lines += create_demo_accounts(state.engine, program)
    lines.append("  dashboard: robotwork serve, then open http://127.0.0.1:8000/ and log in")
    for line in lines:
        say(line)
    if live:
        from robotwork.demo.live import run_demo_fleet

        stats = run_demo_fleet(state.engine, state.store.files, state.policy, mqtt, seconds=live_for, say=say)
        say(f"  live: {stats['received']} messages taken, {stats['malformed']} malformed")
