"""The `robotwork` command: global options and the command groups (each a thin layer)."""

from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console
from typer.core import TyperGroup

from robotwork import __version__
from robotwork.cli import (
    audit_cmd,
    compliance_cmd,
    dataset_cmd,
    demo_cmd,
    doctor_cmd,
    evidence_cmd,
    ingest_cmd,
    live_cmd,
    policy_cmd,
    registry_cmd,
    report_cmd,
    serve_cmd,
    simulate_cmd,
    users_cmd,
)
from robotwork.cli.bugs import EXIT_BUG, log_bug
from robotwork.cli.state import State
from robotwork.errors import RobotworkError


class _Group(TyperGroup):
    """Turns robotwork's own errors into one line on stderr and exit code 1, and any other
    exception (a bug) into one line, exit code 3 and the traceback in HOME/logs."""

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        console = Console(stderr=True, highlight=False)
        try:
            return super().invoke(ctx)
        except RobotworkError as exc:
            console.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place a bug becomes exit code 3
            home = ctx.obj.home if isinstance(ctx.obj, State) else Path(".")
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
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Global options shared by every command."""
    state = State(home=home, db_url=db, policy_path=policy, store_url=store)
    if actor:
        state.actor = actor
    ctx.obj = state


app.command("import")(registry_cmd.import_command)
app.command("history")(registry_cmd.history_command)
app.command("compliance")(compliance_cmd.compliance_command)
app.command("demo")(demo_cmd.demo_command)
app.command("simulate")(simulate_cmd.simulate_command)
app.command("ingest")(ingest_cmd.ingest_command)
app.add_typer(ingest_cmd.recordings_app, name="recordings")
app.command("doctor")(doctor_cmd.doctor_command)
app.command("query")(ingest_cmd.query_command)
app.command("metrics")(evidence_cmd.metrics_command)
app.add_typer(evidence_cmd.flags_app, name="flags")
app.command("rebuild")(evidence_cmd.rebuild_command)
app.add_typer(report_cmd.app, name="report")
app.add_typer(dataset_cmd.app, name="dataset")
app.command("serve")(serve_cmd.serve_command)
app.add_typer(live_cmd.app, name="live")
app.add_typer(users_cmd.users_app, name="users")
app.add_typer(users_cmd.tokens_app, name="tokens")
app.command("audit")(audit_cmd.audit_command)
app.add_typer(policy_cmd.app, name="policy")


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
