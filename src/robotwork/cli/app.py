"""The `robotwork` command: global options and the command groups (each a thin layer)."""

import importlib
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from typer import _click as click  # typer vendors click (its usage errors are TyperExceptions)
from typer.core import TyperCommand, TyperGroup

from robotwork import __version__

# Every command, loaded only when it runs: `robotwork --help` and a simple command start in well
# under a second instead of importing every layer (name, module in robotwork.cli, attribute,
# the one-line help `--help` lists; tests check that the line is the command's own).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "import": (
        "registry_cmd",
        "import_command",
        "Import the national nomination template: all-or-nothing unless --partial.",
    ),
    "history": (
        "registry_cmd",
        "history_command",
        "Show the change history: who changed which record when, old and new values.",
    ),
    "compliance": (
        "compliance_cmd",
        "compliance_command",
        "Quota, domains, plan and report status of every province and central SOE.",
    ),
    "demo": (
        "demo_cmd",
        "demo_command",
        "Build the demo program: 31 provinces, central SOEs, scenarios, consortia, robots, recordings.",
    ),
    "simulate": (
        "simulate_cmd",
        "simulate_command",
        "Simulate a national program at full size: ~2,000 scenarios, robots, deployments, summaries.",
    ),
    "ingest": ("ingest_cmd", "ingest_command", "Ingest recordings into the telemetry store."),
    "recordings": ("ingest_cmd", "recordings_app", "What the telemetry store holds."),
    "doctor": (
        "doctor_cmd",
        "doctor_command",
        "Check that every counted recording has its files and evidence...",
    ),
    "query": ("ingest_cmd", "query_command", "Ask the telemetry store anything, in DuckDB SQL..."),
    "metrics": (
        "evidence_cmd",
        "metrics_command",
        "Verified figures over the policy's trailing window, from the derived tables.",
    ),
    "flags": ("evidence_cmd", "flags_app", "Integrity flags: recordings that do not count until cleared."),
    "rebuild": (
        "evidence_cmd",
        "rebuild_command",
        "Recompute every derived table and flag from the raw telemetry.",
    ),
    "report": ("report_cmd", "app", "Reports generated from the registry and the evidence."),
    "dataset": ("dataset_cmd", "app", "Training datasets: export the harvest as LeRobot v3.0 datasets."),
    "serve": (
        "serve_cmd",
        "serve_command",
        "Serve the dashboard (/) and the REST API (/api/v1, docs at /api/docs).",
    ),
    "live": ("live_cmd", "app", "Live fleet status over MQTT."),
    "users": ("users_cmd", "users_app", "Accounts of the web dashboard and API."),
    "tokens": ("users_cmd", "tokens_app", "Bearer tokens for the API (users) and devices (robots)."),
    "audit": (
        "audit_cmd",
        "audit_command",
        "Show who did what, when and from which address (refused attempts included).",
    ),
    "policy": ("policy_cmd", "app", "The plan's numbers and robotwork's definitions."),
}


def load_command(name: str) -> click.Command:
    """The click command `name` runs, importing its module now (a Typer sub-app is a group)."""
    module, attr, _ = COMMANDS[name]
    target = getattr(importlib.import_module(f"robotwork.cli.{module}"), attr)
    if isinstance(target, typer.Typer):
        return typer.main.get_group(target)
    single = typer.Typer()
    single.command(name, cls=getattr(target, "command_class", None))(target)
    return typer.main.get_command(single)


class _Group(TyperGroup):
    """Turns robotwork's own errors into one line on stderr and exit code 1, and any other
    exception (a bug) into one line, exit code 3 and the traceback in HOME/logs; loads each
    command only when it is the one asked for (the help lists them from `COMMANDS`)."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if self._listing:
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name][2])  # as listed, not loaded
        return load_command(cmd_name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        from rich.console import Console

        from robotwork.cli.bugs import EXIT_BUG, log_bug
        from robotwork.cli.state import State
        from robotwork.errors import RobotworkError

        console = Console(stderr=True, highlight=False)
        try:
            return super().invoke(ctx)
        except RobotworkError as exc:
            console.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except (typer.TyperException, typer.Exit, typer.Abort):  # usage errors among them: exit 2
            raise
        except Exception as exc:  # noqa: BLE001 - the one place a bug becomes exit code 3
            # before the global options are read, the log goes where --home points by default
            home = ctx.obj.home if isinstance(ctx.obj, State) else Path("robotwork-data")
            console.print(
                log_bug(home, exc, ctx.invoked_subcommand or "robotwork"), markup=False, soft_wrap=True
            )
            raise typer.Exit(EXIT_BUG) from None


app = typer.Typer(
    cls=_Group,
    name="robotwork",
    help="The evidence system of the MIIT/SASAC humanoid robots in real work program.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class Lang(StrEnum):
    """The languages of the catalog (`robotwork.locale`) the command line prints in."""

    en = "en"
    zh = "zh"


def _version(value: bool) -> None:
    if value:
        print(f"robotwork {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    home: Annotated[
        Path,
        typer.Option(
            envvar="ROBOTWORK_HOME", help="Data folder: the SQLite registry and the telemetry store."
        ),
    ] = Path("robotwork-data"),
    db: Annotated[
        str | None,
        typer.Option(
            envvar="ROBOTWORK_DB",
            help="Registry database URL "
            "(any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db); default: SQLite in HOME.",
        ),
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option(
            envvar="ROBOTWORK_POLICY", help="Policy TOML file in force instead of the shipped default."
        ),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            envvar="ROBOTWORK_STORE",
            help="Telemetry store root (a folder or fsspec URL); default: HOME/telemetry.",
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            envvar="ROBOTWORK_ACTOR", help="Who is making changes, for the history (default: the login name)."
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option(
            envvar="ROBOTWORK_LANG",
            help="Language of tables and messages (en or zh); --json is the same in both.",
        ),
    ] = Lang.en,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Global options shared by every command."""
    from robotwork.cli.output import use_language
    from robotwork.cli.state import State

    use_language(lang.value)
    state = State(home=home, db_url=db, policy_path=policy, store_url=store, lang=lang.value)
    if actor:
        state.actor = actor
    ctx.obj = state


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
