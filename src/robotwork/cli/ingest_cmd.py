"""`robotwork ingest` and `robotwork recordings list|show`."""

from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from robotwork.cli.output import print_json, print_json_line, say, stderr, stdout
from robotwork.cli.state import State
from robotwork.errors import RobotworkError, UnknownRecord
from robotwork.ingest.pipeline import IngestResult, Overrides
from robotwork.intake import Intake
from robotwork.registry.models import Recording

recordings_app = typer.Typer(help="What the telemetry store holds.", no_args_is_help=True)


def parse_start(text: str | None) -> int | None:
    """``--start`` as integer nanoseconds UTC (an ISO-8601 time; no zone means UTC)."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RobotworkError(f"--start {text!r}: not an ISO-8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp()) * 1_000_000_000 + moment.microsecond * 1000


def ingest_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="MCAP files, rosbag2 folders, LeRobot v3.0 folders.")],
    robot: Annotated[str | None, typer.Option(help="Robot serial (wins over the file's metadata).")] = None,
    scenario: Annotated[str | None, typer.Option(help="Scenario id (wins over the deployment).")] = None,
    start: Annotated[str | None, typer.Option(help="Start time of a LeRobot dataset (ISO-8601).")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON result object per input, one per line.")
    ] = False,
) -> None:
    """Ingest recordings into the telemetry store; exit 1 when any input was rejected."""
    state: State = ctx.obj
    overrides = Overrides(robot, scenario, parse_start(start))
    results: list[IngestResult] = []
    intake = Intake(state.engine, state.store, state.policy, actor=state.actor)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as progress:
        for path in paths:
            task = progress.add_task(path.name, total=None)
            results.append(intake.take(path, overrides=overrides, on_rows=partial(progress.advance, task)))
            progress.remove_task(task)
    for r in results:
        if as_json:
            print_json_line(r.to_json())
        elif r.status == "rejected":
            say(f"rejected: {r.error}")
        else:
            recording = (r.recording_id or "")[:12]
            say(f"{r.status}: {r.path} -> {recording} ({r.robot_serial}, {r.messages:,} messages)")
    raise typer.Exit(0 if all(r.status != "rejected" for r in results) else 1)


def _row(r: Recording) -> dict[str, object]:
    def iso(ns: int) -> str:
        return datetime.fromtimestamp(ns / 1e9, UTC).isoformat(timespec="seconds")

    return {
        "recording_id": r.recording_id,
        "robot_serial": r.robot_serial,
        "scenario_id": r.scenario_id,
        "site_id": r.site_id,
        "source_name": r.source_name,
        "source_kind": r.source_kind,
        "start": iso(r.start_ns),
        "end": iso(r.end_ns),
        "messages": r.messages,
        "size_bytes": r.size_bytes,
        "rows": r.rows,
        "joint_names": r.joint_names,
        "topics": r.topics,
        "software_version": r.software_version,
        "ingested_at": r.ingested_at.isoformat(),
        "ingested_by": r.ingested_by,
    }


@recordings_app.command("list")
def list_recordings(
    ctx: typer.Context,
    robot: Annotated[str | None, typer.Option(help="Only this robot.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List stored recordings, newest first."""
    state: State = ctx.obj
    query = select(Recording).order_by(Recording.start_ns.desc())
    if robot:
        query = query.where(Recording.robot_serial == robot)
    with Session(state.engine) as session:
        rows = [_row(r) for r in session.scalars(query)]
    if as_json:
        print_json(rows)
        return
    table = Table("recording", "robot", "scenario", "start (UTC)", "end (UTC)", "messages", "source")
    for r in rows:
        table.add_row(
            str(r["recording_id"])[:12],
            str(r["robot_serial"]),
            str(r["scenario_id"] or "-"),
            str(r["start"]),
            str(r["end"]),
            f"{r['messages']:,}",
            str(r["source_name"]),
        )
    stdout.print(table)


@recordings_app.command("show")
def show_recording(
    ctx: typer.Context,
    recording_id: Annotated[str, typer.Argument(help="Recording id (a unique prefix is enough).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one recording: identity, time span, topics, rows per table, stored files."""
    state: State = ctx.obj
    with Session(state.engine) as session:
        found = list(
            session.scalars(select(Recording).where(Recording.recording_id.startswith(recording_id)))
        )
        if len(found) != 1:
            raise UnknownRecord(f"{recording_id}: {'no' if not found else 'more than one'} recording matches")
        row = _row(found[0])
    row["files"] = state.store.recording_files(str(row["recording_id"]))
    if as_json:
        print_json(row)
        return
    for key, value in row.items():
        stdout.print(f"[bold]{key}[/]: {value}", highlight=False)


def query_command(
    ctx: typer.Context,
    sql: Annotated[
        str,
        typer.Argument(
            help="SQL over the views joint_states, joint_commands, "
            "control_mode, tasks, interventions, images (with date, robot)."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON rows.")] = False,
) -> None:
    """Ask the telemetry store anything, in DuckDB SQL (read-only views over the Parquet files)."""
    import duckdb

    from robotwork.store.query import connect

    state: State = ctx.obj
    try:
        cursor = connect(state.store).execute(sql)
    except duckdb.Error as exc:
        raise RobotworkError(f"query: {str(exc).splitlines()[0]}") from None
    names = [d[0] for d in cursor.description or []]
    rows = cursor.fetchall()
    if as_json:
        print_json([dict(zip(names, r, strict=True)) for r in rows])
        return
    table = Table(*names)
    for r in rows:
        table.add_row(*(str(v) for v in r))
    stdout.print(table)
