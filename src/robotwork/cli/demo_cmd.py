"""`robotwork demo`: a believable national program, with weeks of operating data."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from robotwork.cli.output import say, stderr
from robotwork.cli.state import State

_PLAIN_EVERY_S = 10.0  # without a terminal, a progress line at most this often (and at the end)


def demo_command(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option(help="Same seed, same program.")] = 0,
    telemetry: Annotated[
        bool,
        typer.Option(
            help="Also write and ingest MCAP recordings for the fleet: 35 days in fortnightly "
            "files by default (a few minutes on an idle 2-core machine), 45 days in weekly files with --full."
        ),
    ] = True,
    full: Annotated[
        bool,
        typer.Option("--full", help="The program as run so far: 45 days of weekly recordings (longer)."),
    ] = False,
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
    """Build the demo program: 31 provinces, central SOEs, scenarios, consortia, robots, recordings.

    The login accounts are printed first, then the progress of the recordings (a bar with counts
    and the time left in a terminal, a plain line every few seconds otherwise)."""
    from robotwork.demo.loader import (  # loaded only when asked
        FULL,
        QUICK,
        create_demo_accounts,
        export_demo_dataset,
        load_demo_program,
        load_demo_telemetry,
    )

    state: State = ctx.obj
    program, built = load_demo_program(state.engine, state.policy, seed=seed, actor=state.actor)
    lines = create_demo_accounts(state.engine, program)
    lines.append("  dashboard: robotwork serve, then open http://127.0.0.1:8000/ and log in")
    for line in lines + built:
        say(line)
    if telemetry:
        with _progress("recordings written and ingested") as on_file:
            say_after = load_demo_telemetry(
                state.engine,
                state.store,
                state.policy,
                program,
                folder=state.home / "demo-recordings",
                seed=seed,
                today=state.today(),
                actor=state.actor,
                size=FULL if full else QUICK,
                on_file=on_file,
            )
        say_after += export_demo_dataset(
            state.engine, state.store, state.policy, state.home / "datasets", actor=state.actor
        )
        for line in say_after:
            say(line)
    if live:
        from robotwork.demo.live import run_demo_fleet

        stats = run_demo_fleet(state.engine, state.store.files, state.policy, mqtt, seconds=live_for, say=say)
        say(f"  live: {stats['received']} messages taken, {stats['malformed']} malformed")


@contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int], None]]:
    """A counting callback: a Rich bar with counts, elapsed time and ETA in a terminal; plain
    lines ("120/1,040 ... 1m05s elapsed, about 4m10s left") on a pipe or in a log."""
    if stderr.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=stderr, transient=True) as bar:
            task = bar.add_task(what, total=None)
            yield lambda done, total: bar.update(task, completed=done, total=total)
        return
    started = time.monotonic()
    last = [-_PLAIN_EVERY_S]

    def line(done: int, total: int) -> None:
        now = time.monotonic() - started
        if done < total and now - last[0] < _PLAIN_EVERY_S:
            return
        last[0] = now
        left = f", about {_duration(now / done * (total - done))} left" if 0 < done < total else ""
        say(f"  {done:,}/{total:,} {what}, {_duration(now)} elapsed{left}")

    yield line


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
