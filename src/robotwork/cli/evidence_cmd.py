"""`robotwork metrics`, `robotwork flags list|clear` and `robotwork rebuild`."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

import typer

from robotwork.cli.compliance_cmd import parse_as_of
from robotwork.cli.options import RayAddress
from robotwork.cli.output import (
    DEFAULT_LIMIT,
    Col,
    JsonOption,
    LimitOption,
    WideOption,
    percent,
    print_fields,
    print_json,
    print_table,
    rerun,
    say,
    short,
    stderr,
)
from robotwork.cli.state import State

# no `no_args_is_help`: `robotwork flags` alone lists the open flags (see `flags_default`)
flags_app = typer.Typer(help="Integrity flags: recordings that do not count until cleared.")


class Level(StrEnum):
    """The levels `robotwork metrics --by` knows."""

    robot = "robot"
    scenario = "scenario"
    province = "province"
    national = "national"


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _stage(name: str) -> Col:
    return Col("stages", name, rank=2, right=True, fmt=lambda stages: f"{stages.get(name, 0):,}")


# what each level's table shows of the rows of `metrics --json` (the same rows, the same figures)
_COLUMNS: dict[Level, tuple[Col, ...]] = {
    Level.robot: (
        Col("robot_serial", "robot"),
        Col("model", "model", rank=4, flex=True),
        Col("scenario_id", "scenario", rank=1),
        Col("site_id", "site", wide=True),
        Col("operating_hours", "hours", rank=1, right=True, fmt=_hours),
        Col("autonomous_hours", "auton. h", wide=True, right=True, fmt=_hours),
        Col("teleoperated_hours", "teleop. h", wide=True, right=True, fmt=_hours),
        Col("scripted_hours", "script. h", wide=True, right=True, fmt=_hours),
        Col("idle_hours", "idle h", wide=True, right=True, fmt=_hours),
        Col("interventions", "interv.", wide=True, right=True),
        Col("assists", "assists", wide=True, right=True),
        Col("interventions_per_hour", "interv./h", wide=True, right=True),
        Col("mtbi_hours", "MTBI h", wide=True, right=True, fmt=_hours),
        Col("tasks_succeeded", "ok tasks", wide=True, right=True),
        Col("tasks_failed", "failed", wide=True, right=True),
        Col("tasks_aborted", "aborted", wide=True, right=True),
        Col("tasks_incomplete", "incompl.", wide=True, right=True),
        Col("success_rate", "success", rank=2, right=True, fmt=percent),
        Col("worked_days", "days", rank=2, right=True),
        Col("in_routine_operation", "routine"),
        Col("autonomy_level", "level", rank=3),
        Col("flagged", "flagged", rank=1),
    ),
    Level.scenario: (
        Col("scenario_id", "scenario"),
        Col("title", "title", rank=2, flex=True, least=16),
        Col("nominated_by", "by", rank=4),
        Col("domain", "domain", wide=True),
        Col("status", "status", wide=True),
        Col("stage", "stage"),
        Col("robots", "robots", rank=1, right=True),
        Col("robots_in_routine_operation", "routine", rank=1, right=True),
        Col("sites_in_routine_operation", "sites", wide=True, right=True),
        Col("cities", "cities", wide=True),
        Col("success_rate", "success", rank=2, right=True, fmt=percent),
        Col("high_value", "high value", rank=3),
        Col("missing_for_next_stage", "missing for the next stage", wide=True),
        Col("declared_robots_in_operation", "declared", wide=True, right=True),
    ),
    Level.province: (
        Col("code", "code"),
        Col("name", "name", rank=3, flex=True),
        Col("kind", "kind", wide=True),
        Col("robots_in_routine_operation", "routine", right=True),
        Col("declared_robots_in_operation", "declared", rank=1, right=True),
        Col("high_value_applications", "high value", rank=1, right=True),
        _stage("nominated"),
        _stage("verified"),
        _stage("batch"),
        _stage("region"),
    ),
}


def _national(doc: dict[str, Any], title: str) -> None:
    """The one national row as lines of name and value (the same keys as `--json`)."""
    [row] = doc["rows"]
    print_fields([(key.replace("_", " "), value) for key, value in row.items()], title=title)


def metrics_command(
    ctx: typer.Context,
    by: Annotated[Level, typer.Option(help="Level of the rows.")] = Level.national,
    as_of: Annotated[str | None, typer.Option(help="Window end (YYYY-MM-DD; default today).")] = None,
    as_json: JsonOption = False,
    wide: WideOption = False,
    limit: LimitOption = DEFAULT_LIMIT,
) -> None:
    """Verified figures over the policy's trailing window, from the derived tables."""
    from robotwork.evidence.metrics import metrics

    state: State = ctx.obj
    doc = metrics(state.engine, state.policy, parse_as_of(as_of, state), by.value)
    if as_json:
        print_json(doc)
        return
    title = f"{by.value} metrics, window {doc['window']['from']} .. {doc['window']['to']}"
    if by is Level.national:
        _national(doc, title)
        return
    print_table(doc["rows"], _COLUMNS[by], title=title, wide=wide, limit=limit, more=rerun(ctx, limit=0))


_FLAG_COLUMNS = (
    Col("id", "id", right=True),
    Col("rule", "rule"),
    Col("robot_serial", "robot", rank=1),
    Col("recording_id", "recording", rank=3, fmt=short(12)),
    Col("source_name", "file", wide=True),
    Col("evidence", "evidence", rank=2, flex=True, least=16),
    Col("flagged_at", "flagged", wide=True, fmt=short(19)),
    Col("cleared_by", "cleared by", wide=True),
    Col("clear_reason", "cleared", rank=4, flex=True, fmt=lambda v: v or ""),
)


@flags_app.command("list")
def list_flags(
    ctx: typer.Context,
    all_flags: Annotated[bool, typer.Option("--all", help="Include cleared flags.")] = False,
    as_json: JsonOption = False,
    wide: WideOption = False,
    limit: LimitOption = DEFAULT_LIMIT,
) -> None:
    """Flagged recordings with the evidence behind each flag."""
    from robotwork.read.flag import list_flags as flags

    state: State = ctx.obj
    rows = flags(state.engine, state.scope, include_cleared=all_flags).model_dump(mode="json")["rows"]
    if as_json:
        print_json(rows)
        return
    title = "flags, cleared ones too" if all_flags else "open flags (--all: cleared ones too)"
    more = rerun(ctx, limit=0)
    print_table(rows, _FLAG_COLUMNS, title=title, wide=wide, limit=limit, more=more, empty="no flag")


@flags_app.callback(invoke_without_command=True)
def flags_default(
    ctx: typer.Context,
    as_json: JsonOption = False,
    wide: WideOption = False,
    limit: LimitOption = DEFAULT_LIMIT,
) -> None:
    """`robotwork flags` alone lists the open flags."""
    if ctx.invoked_subcommand is None:
        list_flags(ctx, all_flags=False, as_json=as_json, wide=wide, limit=limit)


@flags_app.command("clear")
def clear(
    ctx: typer.Context,
    flag_id: Annotated[int, typer.Argument(help="The flag's id (see `robotwork flags`).")],
    reason: Annotated[str, typer.Option(help="Why the recording may count after all.")],
) -> None:
    """Clear a flag with a reason; the change history records who and why."""
    from robotwork.read.flag import clear_flag_as
    from robotwork.registry.audit import LOCAL_ADDRESS

    state: State = ctx.obj
    flag = clear_flag_as(state.engine, flag_id, reason=reason, actor=state.actor, address=LOCAL_ADDRESS)
    say(f"flag {flag.id} ({flag.rule}) on recording {flag.recording_id[:12]} cleared")


def rebuild_command(
    ctx: typer.Context,
    ray: Annotated[
        bool, typer.Option("--ray", help="Summarize recordings as Ray tasks; flags are still set in order.")
    ] = False,
    ray_address: RayAddress = None,
) -> None:
    """Recompute every derived table and flag from the raw telemetry."""
    from rich.progress import Progress

    from robotwork.evidence.derived import rebuild_all
    from robotwork.evidence.standing import recount_all

    state: State = ctx.obj
    started = datetime.now(UTC)
    summaries = None
    if ray or ray_address:
        from robotwork.cluster import Home, Runner, parallel_summaries

        home = Home.at(state.home, state.db_url, state.store_url, state.policy_path, state.actor)
        summaries = parallel_summaries(home, Runner(ray=True, address=ray_address))
    with Progress(console=stderr, transient=True) as progress:
        task = progress.add_task("rebuilding evidence", total=None)
        count = rebuild_all(
            state.engine,
            state.store,
            state.policy,
            on_recording=lambda _id: progress.advance(task),
            summaries=summaries,
        )
    recount_all(state.engine)
    seconds = (datetime.now(UTC) - started).total_seconds()
    say(f"rebuilt evidence of {count} recording(s) in {seconds:.1f} s")
