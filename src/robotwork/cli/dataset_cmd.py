"""`robotwork dataset export|list|show`: the harvest as LeRobot datasets (a thin layer)."""

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

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
    print_table,
    rerun,
    say,
    short,
    stderr,
    t,
)
from robotwork.cli.state import State
from robotwork.datasets import ExportFilters, export_dataset
from robotwork.datasets.selection import DatasetError

app = typer.Typer(
    help="Training datasets: export the harvest as LeRobot v3.0 datasets.", no_args_is_help=True
)


class Mode(StrEnum):
    """Control modes an episode can be mostly in."""

    autonomous = "autonomous"
    teleoperated = "teleoperated"
    scripted = "scripted"


class Outcome(StrEnum):
    """Outcomes of a finished task episode."""

    success = "success"
    failure = "failure"
    abort = "abort"


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DatasetError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


@app.command("export")
def export_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Dataset folder to create (must not exist or be empty).")],
    name: Annotated[str | None, typer.Option(help="Dataset name (default: the folder's name).")] = None,
    fps: Annotated[int, typer.Option(help="Frames per second of the dataset.")] = 30,
    scenario: Annotated[str | None, typer.Option(help="Only this scenario.")] = None,
    domain: Annotated[str | None, typer.Option(help="Only scenarios of this domain.")] = None,
    province: Annotated[str | None, typer.Option(help="Only sites in this province (code).")] = None,
    robot: Annotated[str | None, typer.Option(help="Only this robot (serial).")] = None,
    model: Annotated[str | None, typer.Option(help="Only robots of this model.")] = None,
    mode: Annotated[Mode | None, typer.Option(help="Only episodes more than half in this mode.")] = None,
    outcome: Annotated[Outcome | None, typer.Option(help="Only episodes with this outcome.")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="First day (YYYY-MM-DD, program zone).")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD, included).")] = None,
    split_by_model: Annotated[
        bool, typer.Option("--split-by-model", help="One dataset per robot model, in OUT/<model>.")
    ] = False,
    val_fraction: Annotated[float, typer.Option(help="Share of episodes in the validation split.")] = 0.0,
    interventions_only: Annotated[
        bool, typer.Option("--interventions-only", help="Only human-controlled segments after takeovers.")
    ] = False,
    seconds_before: Annotated[
        float, typer.Option(help="With --interventions-only: seconds kept before each intervention.")
    ] = 5.0,
    videos: Annotated[
        bool, typer.Option("--videos/--no-videos", help="Camera frames as observation.images.* videos.")
    ] = True,
    velocities: Annotated[
        bool, typer.Option("--velocities", help="observation.state also holds the measured joint velocities.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per dataset.")] = False,
    ray: Annotated[
        bool, typer.Option("--ray", help="Read and resample episode shards as Ray tasks (same bytes).")
    ] = False,
    ray_address: RayAddress = None,
) -> None:
    """Write the selected task episodes as a LeRobot v3.0 dataset and register it."""
    state: State = ctx.obj
    shards = None
    if ray or ray_address:
        from robotwork.cluster import Home, Runner
        from robotwork.datasets.shards import ShardReader

        home = Home.at(state.home, state.db_url, state.store_url, state.policy_path, state.actor)
        shards = ShardReader(home, Runner(ray=True, address=ray_address))
    filters = ExportFilters(
        scenario=scenario,
        domain=domain,
        province=province,
        robot=robot,
        model=model,
        mode=mode.value if mode else None,
        outcome=outcome.value if outcome else None,
        date_from=_day(date_from, "--from"),
        date_to=_day(date_to, "--to"),
    )
    # on a terminal only: a refusal stays one line on stderr wherever it goes
    columns = Progress.get_default_columns()
    with Progress(*columns, console=stderr, transient=True, disable=not stderr.is_terminal) as progress:
        task = progress.add_task("exporting frames", total=None)
        results = export_dataset(
            state.engine,
            state.store,
            state.policy,
            out,
            name=name,
            fps=fps,
            filters=filters,
            split_by_model=split_by_model,
            val_fraction=val_fraction,
            interventions_only=interventions_only,
            seconds_before=seconds_before,
            actor=state.actor,
            videos=videos,
            velocities=velocities,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
            shards=shards,
        )
    for result in results:
        if as_json:
            print_json_line(result.to_json())
        else:
            say(
                f"dataset {result.dataset_id} ({result.robot_model}): {result.episodes} episodes, "
                f"{result.frames} frames from {result.recordings} recording(s) in {result.path}"
                + (f"; videos of {', '.join(result.cameras)}" if result.cameras else "")
            )


def _created(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


_LIST_COLUMNS = (
    Col("dataset_id", "id", fmt=short(8), term="cli.col.id"),
    Col("name", "name", rank=1, flex=True, least=16, term="datasets.name"),
    Col("robot_model", "model", rank=2, flex=True, fmt=lambda v: v or "", term="datasets.model"),
    Col("fps", "fps", wide=True, right=True, term="dataset.fps"),
    Col("episodes", "episodes", right=True, term="datasets.episodes"),
    Col("frames", "frames", rank=1, right=True, term="datasets.frames"),
    Col("recordings", "recordings", rank=3, right=True, term="datasets.recordings"),
    Col("path", "path", wide=True, term="dataset.path"),
    Col("created_at", "created", rank=2, fmt=_created, term="datasets.created"),
    Col("created_by", "by", wide=True, term="dataset.by"),
)
_RECORDING_COLUMNS = (
    Col("recording_id", "recording", fmt=short(12), term="col.recording"),
    Col("sha256", "sha256", wide=True),
    Col("robot_serial", "robot", term="col.robot"),
    Col("scenario_id", "scenario", rank=1, fmt=lambda v: v or "", term="col.scenario"),
    Col("episodes", "episodes", right=True, term="datasets.episodes"),
    Col("frames", "frames", rank=1, right=True, term="datasets.frames"),
)


@app.command("list")
def list_command(
    ctx: typer.Context,
    as_json: JsonOption = False,
    wide: WideOption = False,
    limit: LimitOption = DEFAULT_LIMIT,
) -> None:
    """Registered datasets, newest first."""
    from robotwork.read.dataset import datasets

    state: State = ctx.obj
    rows = datasets(state.engine, state.scope).model_dump(mode="json")["rows"]
    if as_json:
        print_json(rows)
        return
    print_table(
        rows,
        _LIST_COLUMNS,
        title=t("cli.datasets.title", "datasets, newest first (`robotwork dataset show ID` for one)"),
        wide=wide,
        limit=limit,
        more=rerun(ctx, limit=0),
        empty=t("cli.datasets.empty", "no dataset exported yet"),
    )


@app.command("show")
def show_command(
    ctx: typer.Context,
    dataset_id: Annotated[str, typer.Argument(help="Dataset id or a unique prefix.")],
    as_json: JsonOption = False,
    wide: WideOption = False,
    limit: LimitOption = DEFAULT_LIMIT,
) -> None:
    """One dataset with its manifest: filters, recordings and their SHA-256, versions, counts."""
    from robotwork.read.dataset import dataset

    state: State = ctx.obj
    doc = dataset(state.engine, state.scope, dataset_id).model_dump(mode="json")
    if as_json:
        print_json(doc)
        return
    manifest = doc["manifest"]
    keys = ("dataset_id", "name", "path", "robot_model", "fps", "episodes", "frames", "created_by")
    print_fields(
        [(key, doc[key]) for key in keys]
        + [
            ("filters", doc["filters"]),
            ("splits", manifest["splits"]),
            ("versions", f"policy {manifest['policy_version']}, robotwork {manifest['robotwork_version']}"),
        ]
    )
    print_table(
        manifest["recordings"],
        _RECORDING_COLUMNS,
        title=t("datasets.recordings", "recordings"),
        wide=wide,
        limit=limit,
        more=rerun(ctx, limit=0),
        empty=t("cli.dataset.no_recording", "no recording"),
    )
