"""`robotwork metrics`, `robotwork flags list|clear` and `robotwork rebuild`."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

import typer

from robotwork.cli.compliance_cmd import in_language, named, parse_as_of, shortfalls
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
    t,
    word,
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
    return Col(
        "stages",
        name,
        rank=2,
        right=True,
        fmt=lambda stages: f"{stages.get(name, 0):,}",
        term=f"stage.{name}",
    )


# what each level's table shows of the rows of `metrics --json` (the same rows, the same figures);
# `term`: the dashboard's id for the concept, the header in Chinese (`--lang zh`)
_COLUMNS: dict[Level, tuple[Col, ...]] = {
    Level.robot: (
        Col("robot_serial", "robot", term="col.robot"),
        Col("model", "model", rank=4, flex=True, term="col.model"),
        Col("scenario_id", "scenario", rank=1, term="col.scenario"),
        Col("site_id", "site", wide=True, term="col.site"),
        Col("operating_hours", "hours", rank=1, right=True, fmt=_hours, term="col.operating_hours"),
        Col(
            "autonomous_hours", "auton. h", wide=True, right=True, fmt=_hours, term="cli.col.autonomous_hours"
        ),
        Col(
            "teleoperated_hours",
            "teleop. h",
            wide=True,
            right=True,
            fmt=_hours,
            term="cli.col.teleoperated_hours",
        ),
        Col("scripted_hours", "script. h", wide=True, right=True, fmt=_hours, term="cli.col.scripted_hours"),
        Col("idle_hours", "idle h", wide=True, right=True, fmt=_hours, term="cli.col.idle_hours"),
        Col("interventions", "interv.", wide=True, right=True, term="cli.col.interventions"),
        Col("assists", "assists", wide=True, right=True, term="cli.col.assists"),
        Col("interventions_per_hour", "interv./h", wide=True, right=True, term="col.interventions_per_hour"),
        Col("mtbi_hours", "MTBI h", wide=True, right=True, fmt=_hours, term="cli.col.mtbi_hours"),
        Col("tasks_succeeded", "ok tasks", wide=True, right=True, term="outcome.success"),
        Col("tasks_failed", "failed", wide=True, right=True, term="outcome.failure"),
        Col("tasks_aborted", "aborted", wide=True, right=True, term="outcome.abort"),
        Col("tasks_incomplete", "incompl.", wide=True, right=True, term="cli.col.tasks_incomplete"),
        Col("success_rate", "success", rank=2, right=True, fmt=percent, term="col.success_rate"),
        Col("worked_days", "days", rank=2, right=True, term="col.worked_days"),
        Col("in_routine_operation", "routine", term="col.routine"),
        Col("autonomy_level", "level", rank=3, term="col.level"),
        Col("flagged", "flagged", rank=1, term="col.flagged"),
    ),
    Level.scenario: (
        Col("scenario_id", "scenario", term="col.scenario"),
        Col("title", "title", rank=2, flex=True, least=16, term="col.title"),
        Col("nominated_by", "by", rank=4, term="col.nominated_by"),
        Col("domain", "domain", wide=True, term="col.domain"),
        Col("status", "status", wide=True, fmt=word("status."), term="col.status"),
        Col("stage", "stage", fmt=word("stage."), term="col.stage"),
        Col("robots", "robots", rank=1, right=True, term="col.robots"),
        Col("robots_in_routine_operation", "routine", rank=1, right=True, term="col.routine"),
        Col("sites_in_routine_operation", "sites", wide=True, right=True, term="col.sites_routine"),
        Col("cities", "cities", wide=True, term="col.cities"),
        Col("success_rate", "success", rank=2, right=True, fmt=percent, term="col.success_rate"),
        Col("high_value", "high value", rank=3, term="col.high_value"),
        Col("shortfalls", "missing for the next stage", wide=True, fmt=shortfalls, term="col.lacks"),
        Col("declared_robots_in_operation", "declared", wide=True, right=True, term="col.declared"),
    ),
    Level.province: (
        Col("code", "code", term="meta.code"),
        Col("name", "name", rank=3, flex=True, term="col.organization"),
        Col("kind", "kind", wide=True, fmt=word("kind."), term="cli.col.kind"),
        Col("robots_in_routine_operation", "routine", right=True, term="col.routine"),
        Col("declared_robots_in_operation", "declared", rank=1, right=True, term="col.declared"),
        Col("high_value_applications", "high value", rank=1, right=True, term="col.high_value"),
        _stage("nominated"),
        _stage("verified"),
        _stage("batch"),
        _stage("region"),
    ),
}


# the national row's fields by the dashboard's ids (the national overview's and the facts' words)
_FIELDS = {
    "robots_in_routine_operation": "national.routine",
    "target_robots": "cli.field.target_robots",
    "high_value_applications": "national.high_value",
    "target_high_value_applications": "cli.field.target_high_value_applications",
    "targets_met": "cli.field.targets_met",
    "target_date": "cli.field.target_date",
    "declared_robots_in_operation": "kpi.declared",
    "autonomy_levels": "national.autonomy",
    "operating_hours": "national.window_hours",
    "recordings": "national.recordings",
    "flagged_recordings": "national.flagged",
    "robots": "facts.target_robots",  # of targets_met
}


def _field(key: str) -> str:
    """A field of the national row in the output's language (in English its `--json` key)."""
    return t(_FIELDS[key], key.replace("_", " ")) if key in _FIELDS else key.replace("_", " ")


def _national(doc: dict[str, Any], title: str) -> None:
    """The one national row as lines of name and value (the same keys as `--json`)."""
    [row] = doc["rows"]
    pairs = [
        (
            _field(key),
            {_field(k): v for k, v in value.items()}
            if isinstance(value, dict) and key == "targets_met"
            else value,
        )
        for key, value in row.items()
    ]
    print_fields(pairs, title=title)


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
    level = t(f"cli.level.{by.value}", by.value)
    title = t(
        "cli.metrics.title",
        "{level} metrics, window {start} .. {end}",
        level=level,
        start=doc["window"]["from"],
        end=doc["window"]["to"],
    )
    if by is Level.national:
        _national(doc, title)
        return
    cols = in_language(_COLUMNS[by], state.policy, "domain")
    rows = named(doc["rows"]) if by is Level.province else doc["rows"]
    print_table(rows, cols, title=title, wide=wide, limit=limit, more=rerun(ctx, limit=0))


_FLAG_COLUMNS = (
    Col("id", "id", right=True, term="cli.col.id"),
    Col("rule", "rule", fmt=lambda v: t(f"rule.{v}.name", str(v)), term="col.rule"),
    Col("robot_serial", "robot", rank=1, term="col.robot"),
    Col("recording_id", "recording", rank=3, fmt=short(12), term="col.recording"),
    Col("source_name", "file", wide=True, term="col.file"),
    Col("evidence", "evidence", rank=2, flex=True, least=16, term="col.evidence"),
    Col("flagged_at", "flagged", wide=True, fmt=short(19), term="col.flagged_at"),
    Col("cleared_by", "cleared by", wide=True, term="col.cleared_by"),
    Col("clear_reason", "cleared", rank=4, flex=True, fmt=lambda v: v or "", term="col.reason"),
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
    if all_flags:
        title = t("cli.flags.all", "flags, cleared ones too")
    else:
        title = t("cli.flags.open", "open flags (--all: cleared ones too)")
    more = rerun(ctx, limit=0)
    empty = t("integrity.none_open", "no flag")
    print_table(rows, _FLAG_COLUMNS, title=title, wide=wide, limit=limit, more=more, empty=empty)


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
