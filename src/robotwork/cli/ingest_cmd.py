"""`robotwork ingest` and `robotwork recordings list|show`."""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.core import TyperCommand

from robotwork.cli.bugs import EXIT_BUG, log_bug
from robotwork.cli.options import RayAddress
from robotwork.cli.output import print_json, print_json_line, say, stderr, stdout
from robotwork.cli.state import State
from robotwork.errors import RobotworkError, UnknownRecord
from robotwork.ingest import jobs
from robotwork.ingest.doctor import missing
from robotwork.ingest.pipeline import IngestResult, Overrides
from robotwork.intake import Intake
from robotwork.registry.models import IngestJob, Recording

recordings_app = typer.Typer(help="What the telemetry store holds.", no_args_is_help=True)

# A Ray cluster's address as `--ray` takes it: HOST:PORT, ray://HOST:PORT, or Ray's own words.
_RAY_ADDRESS = re.compile(r"(ray://)?[\w.\-\[\]:]*:\d+|auto|local")


def ray_address_in(args: list[str]) -> list[str]:
    """`--ray ADDRESS` and `--ray=ADDRESS` as `--ray --ray-address ADDRESS` (a bare `--ray` stays).

    The issue spells the option `--ray [ADDRESS]`, but the command line's parser has no option
    whose value is optional: the word after `--ray` is its address when it has the form of one
    and names no file, and otherwise the first recording to ingest.
    """
    out: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg.startswith("--ray="):
            out += ["--ray", "--ray-address", arg.removeprefix("--ray=")]
            continue
        out.append(arg)
        if arg == "--":
            out += rest
            break
        if arg == "--ray":
            word = next(rest, None)
            if word is None:
                break
            if _RAY_ADDRESS.fullmatch(word) and not Path(word).exists():
                out += ["--ray-address", word]
            else:
                out.append(word)
    return out


class _RayAddressCommand(TyperCommand):
    """The `ingest` command, reading `--ray [ADDRESS]` first (`ray_address_in`)."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        return super().parse_args(ctx, ray_address_in(args))


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
    paths: Annotated[
        list[Path] | None, typer.Argument(help="MCAP files, rosbag2 folders, LeRobot v3.0 folders.")
    ] = None,
    robot: Annotated[str | None, typer.Option(help="Robot serial (wins over the file's metadata).")] = None,
    scenario: Annotated[str | None, typer.Option(help="Scenario id (wins over the deployment).")] = None,
    start: Annotated[str | None, typer.Option(help="Start time of a LeRobot dataset (ISO-8601).")] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Also finish every ingest a crash or a stopped worker left half-way."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON result object per input, one per line.")
    ] = False,
    ray: Annotated[
        bool,
        typer.Option(
            "--ray",
            help="Ingest the files as Ray tasks (docs/scale.md). --ray ADDRESS or --ray=ADDRESS "
            "(HOST:PORT, ray://HOST:PORT, auto, local) joins that cluster; a bare --ray joins "
            "RAY_ADDRESS, else starts a Ray of this process's own.",
        ),
    ] = False,
    ray_address: RayAddress = None,
) -> None:
    """Ingest recordings into the telemetry store.

    Exit 1 when any input was refused, 3 when robotwork failed on one (a bug: the traceback is
    in HOME/logs); the other inputs are ingested either way.
    """
    state: State = ctx.obj
    if not paths and not resume:
        raise typer.BadParameter("give recordings to ingest, or --resume")
    overrides = Overrides(robot, scenario, parse_start(start))
    state.store.clean_staging()
    intake = Intake(state.engine, state.store, state.policy, actor=state.actor)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} rows"),
        TimeElapsedColumn(),
    )
    statuses: list[str] = []

    def show(r: IngestResult) -> None:
        statuses.append(r.status)
        _print_result(r, as_json)

    with Progress(*columns, console=stderr, transient=True) as progress:
        if ray or ray_address:
            _ingest_on_ray(state, paths or [], overrides, ray_address, show)
            paths = []
        for path in paths or []:
            task = progress.add_task(path.name, total=None)
            try:
                show(intake.take(path, overrides=overrides, on_rows=partial(progress.advance, task)))
            except Exception as exc:  # noqa: BLE001 - a bug on one input must not stop the batch
                show(IngestResult(str(path), "error", error=log_bug(state.home, exc, f"ingest {path}")))
            progress.remove_task(task)
        if resume:
            try:
                intake.resume(on_result=show)
            except Exception as exc:  # noqa: BLE001
                show(IngestResult("--resume", "error", error=log_bug(state.home, exc, "ingest --resume")))
    raise typer.Exit(EXIT_BUG if "error" in statuses else 1 if "rejected" in statuses else 0)


ingest_command.command_class = _RayAddressCommand  # type: ignore[attr-defined]


def _ingest_on_ray(
    state: State,
    paths: list[Path],
    overrides: Overrides,
    address: str | None,
    show: Callable[[IngestResult], None],
) -> None:
    """The files as Ray tasks, each running the same ingest as the loop below."""
    from robotwork.cluster import Home, Runner, ingest_files

    home = Home.at(state.home, state.db_url, state.store_url, state.policy_path, state.actor)
    try:
        ingest_files(home, paths, overrides, Runner(ray=True, address=address), on_result=show)
    except RobotworkError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug (or a lost cluster) is reported, not raised
        show(IngestResult("--ray", "error", error=log_bug(state.home, exc, "ingest --ray")))


def _print_result(r: IngestResult, as_json: bool) -> None:
    """One input's outcome, as soon as it is known (a batch may be long)."""
    if as_json:
        print_json_line(r.to_json())
    elif r.status in ("rejected", "error"):
        say(f"{r.status}: {r.error}")
    else:
        recording = (r.recording_id or "")[:12]
        say(f"{r.status}: {r.path} -> {recording} ({r.robot_serial}, {r.messages:,} messages)")


def _iso(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, UTC).isoformat(timespec="seconds")


def _row(r: Recording | None, job: IngestJob | None) -> dict[str, object]:
    """A recording (and its job) as ``recordings list --json`` prints it; a job not yet stored
    has its name and state and nulls for what only storing tells."""
    row: dict[str, object] = {
        "recording_id": r.recording_id if r else job.recording_id if job else None,
        "robot_serial": r.robot_serial if r else None,
        "scenario_id": r.scenario_id if r else None,
        "site_id": r.site_id if r else None,
        "source_name": r.source_name if r else job.source_name if job else None,
        "source_kind": r.source_kind if r else None,
        "start": _iso(r.start_ns) if r else None,
        "end": _iso(r.end_ns) if r else None,
        "messages": r.messages if r else 0,
        "size_bytes": r.size_bytes if r else None,
        "rows": r.rows if r else {},
        "joint_names": r.joint_names if r else [],
        "topics": r.topics if r else {},
        "software_version": r.software_version if r else None,
        "ingested_at": r.ingested_at.isoformat() if r else None,
        "ingested_by": r.ingested_by if r else job.actor if job else None,
        "state": job.state if job else jobs.COUNTED,
    }
    return row


@recordings_app.command("list")
def list_recordings(
    ctx: typer.Context,
    robot: Annotated[str | None, typer.Option(help="Only this robot.")] = None,
    state_: Annotated[
        str | None, typer.Option("--state", help=f"Only jobs in this state ({', '.join(jobs.STATES)}).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List recordings and ingests under way, newest first, with where each stands."""
    state: State = ctx.obj
    # recordings (with their job, if they came in through one) and jobs not stored yet
    stored = select(Recording, IngestJob).join(
        IngestJob, IngestJob.recording_id == Recording.recording_id, isouter=True
    )
    pending = select(IngestJob).where(
        ~select(Recording.recording_id).where(Recording.recording_id == IngestJob.recording_id).exists()
    )
    if robot:
        stored = stored.where(Recording.robot_serial == robot)
        pending = pending.where(IngestJob.overrides["robot_serial"].as_string() == robot)
    if state_:
        stored = stored.where(func.coalesce(IngestJob.state, jobs.COUNTED) == state_)
        pending = pending.where(IngestJob.state == state_)
    with Session(state.engine) as session:
        rows = [_row(None, job) for job in session.scalars(pending.order_by(IngestJob.received_at.desc()))]
        rows += [_row(r, job) for r, job in session.execute(stored.order_by(Recording.start_ns.desc()))]
    if as_json:
        print_json(rows)
        return
    table = Table("recording", "state", "robot", "scenario", "start (UTC)", "messages", "source")
    for r in rows:
        table.add_row(
            str(r["recording_id"])[:12],
            str(r["state"]),
            str(r["robot_serial"] or "-"),
            str(r["scenario_id"] or "-"),
            str(r["start"] or "-"),
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
    """Show one recording: identity, time span, topics, rows per table, stored files, and what
    it still lacks to count."""
    state: State = ctx.obj
    with Session(state.engine) as session:
        found = {  # a job not stored yet, or a recording that came in without one (simulate)
            *session.scalars(
                select(IngestJob.recording_id).where(IngestJob.recording_id.startswith(recording_id))
            ),
            *session.scalars(
                select(Recording.recording_id).where(Recording.recording_id.startswith(recording_id))
            ),
        }
        if len(found) != 1:
            raise UnknownRecord(f"{recording_id}: {'no' if not found else 'more than one'} recording matches")
        [full_id] = found
        row = _row(session.get(Recording, full_id), session.get(IngestJob, full_id))
    row["files"] = state.store.recording_files(str(row["recording_id"]))
    row["missing"] = missing(state.engine, state.store, str(row["recording_id"]))
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
    """Ask the telemetry store anything, in DuckDB SQL: SELECT over read-only views of the
    Parquet files, sandboxed (no other files, no writes, no extensions)."""
    import duckdb

    from robotwork.store.query import run_untrusted_sql

    state: State = ctx.obj
    try:
        cursor = run_untrusted_sql(state.store, sql)
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
