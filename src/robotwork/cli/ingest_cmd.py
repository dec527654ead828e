"""`robotwork ingest`, `robotwork recordings list|show` and `robotwork query`."""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from typer.core import TyperCommand

from robotwork.cli.bugs import EXIT_BUG, log_bug
from robotwork.cli.options import RayAddress
from robotwork.cli.output import (
    DEFAULT_LIMIT,
    Col,
    JsonOption,
    LimitOption,
    WideOption,
    print_fields,
    print_json,
    print_json_line,
    print_lines,
    print_table,
    rerun,
    say,
    short,
    stderr,
)
from robotwork.cli.state import State
from robotwork.errors import RobotworkError
from robotwork.ingest import jobs
from robotwork.ingest.doctor import missing
from robotwork.ingest.pipeline import IngestResult, Overrides
from robotwork.intake import Intake

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


def _minute(iso: str | None) -> str:
    """A UTC time as the table shows it, to the minute (``--json`` keeps the seconds)."""
    return "-" if iso is None else iso[:16].replace("T", " ")


# what `recordings list` shows of the rows of its `--json` (the same rows, the same values)
_RECORDING_COLUMNS = (
    Col("recording_id", "recording", fmt=short(12)),
    Col("state", "state"),
    Col("robot_serial", "robot"),
    Col("scenario_id", "scenario", rank=2),
    Col("start", "start (UTC)", fmt=_minute),
    Col("end", "end (UTC)", wide=True, fmt=_minute),
    Col("messages", "messages", rank=1, right=True),
    Col("size_bytes", "bytes", wide=True, right=True),
    Col("site_id", "site", wide=True),
    Col("source_kind", "kind", wide=True),
    Col("ingested_by", "ingested by", wide=True),
    Col("source_name", "source", rank=3, flex=True),
)


@recordings_app.command("list")
def list_recordings(
    ctx: typer.Context,
    robot: Annotated[str | None, typer.Option(help="Only this robot.")] = None,
    state_: Annotated[
        str | None, typer.Option("--state", help=f"Only jobs in this state ({', '.join(jobs.STATES)}).")
    ] = None,
    as_json: JsonOption = False,
    wide: WideOption = False,
    limit: LimitOption = DEFAULT_LIMIT,
) -> None:
    """List recordings and ingests under way, newest first, with where each stands."""
    from robotwork.read.recording import recording_states

    state: State = ctx.obj
    rows = recording_states(state.engine, state.scope, robot=robot, state=state_).model_dump(mode="json")[
        "rows"
    ]
    if as_json:
        print_json(rows)
        return
    more = rerun(ctx, limit=0)
    print_table(rows, _RECORDING_COLUMNS, wide=wide, limit=limit, more=more, empty="no recording")


@recordings_app.command("show")
def show_recording(
    ctx: typer.Context,
    recording_id: Annotated[str, typer.Argument(help="Recording id (a unique prefix is enough).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one recording: identity, time span, topics, rows per table, stored files, and what
    it still lacks to count."""
    from robotwork.read.recording import RecordingStateDetail, recording_state

    state: State = ctx.obj
    row = recording_state(state.engine, state.scope, recording_id)
    full_id = str(row.recording_id)
    detail = RecordingStateDetail(
        **row.model_dump(),
        files=state.store.recording_files(full_id),
        missing=missing(state.engine, state.store, full_id),
    )
    if as_json:
        print_json(detail.model_dump(mode="json"))
        return
    doc = detail.model_dump(mode="json", exclude={"files", "missing"})
    pairs = [(key.replace("_", " "), value) for key, value in doc.items()]
    pairs.append(("files", f"{len(detail.files):,} in the store (--json names them)"))
    print_fields(pairs, title=f"recording {full_id}")
    print_lines(*(["still lacks to count:"] + [f"- {m}" for m in detail.missing] if detail.missing else []))


def _plain(value: object) -> str:
    """A query's value as DuckDB gave it (no thousands separators: a script may copy it), on one line."""
    return "NULL" if value is None else " ".join(str(value).split())


def _query_columns(names: list[str], rows: list[tuple[object, ...]]) -> list[Col]:
    """One column per result column, in order: numbers at full length, right-aligned; text cut to
    the room left; the last columns are left out first when even that does not fit."""
    cols = []
    for i, name in enumerate(names):
        values = [r[i] for r in rows if r[i] is not None]
        number = bool(values) and all(isinstance(v, int | float | Decimal) for v in values)
        cols.append(Col(name, name, rank=i, flex=not number, right=number, least=8, fmt=_plain))
    return cols


def query_command(
    ctx: typer.Context,
    sql: Annotated[
        str,
        typer.Argument(
            help="SQL over the views joint_states, joint_commands, "
            "control_mode, tasks, interventions, images (with date, robot)."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON rows (every row).")] = False,
    wide: WideOption = False,
    limit: LimitOption = DEFAULT_LIMIT,
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
    records = [dict(zip(names, r, strict=True)) for r in rows]
    if as_json:
        print_json(records)
        return
    cols = _query_columns(names, rows)
    print_table(records, cols, wide=wide, limit=limit, more=rerun(ctx, limit=0), empty="no row")
