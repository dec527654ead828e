"""`robotwork users add` and `robotwork tokens create`."""

from typing import Annotated

import typer

from robotwork.accounts import ROLES, add_user, create_token
from robotwork.cli.output import say
from robotwork.cli.state import State

users_app = typer.Typer(help="Accounts of the web dashboard and API.", no_args_is_help=True)
tokens_app = typer.Typer(help="Bearer tokens for the API (users) and devices (robots).", no_args_is_help=True)


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="ROBOTWORK_PASSWORD",
            help="At least 8 characters.",
        ),
    ],
    org: Annotated[
        str | None, typer.Option(help="The province or central SOE an officer writes for.")
    ] = None,
    consortium: Annotated[str | None, typer.Option(help="The consortium of a consortium member.")] = None,
) -> None:
    """Create a user, or reset an existing user's password and role."""
    state: State = ctx.obj
    add_user(state.engine, username, password, role, org=org, consortium=consortium)
    scope = org or consortium
    say(f"user {username} ({role}{f' {scope}' if scope else ''}) saved")


@tokens_app.command("create")
def tokens_create(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option(help="A user: the token acts as that user.")] = None,
    robot: Annotated[
        str | None,
        typer.Option(help="A robot serial: a device token that may only upload that robot's recordings."),
    ] = None,
    label: Annotated[str | None, typer.Option(help="A note on what the token is for.")] = None,
) -> None:
    """Create a bearer token; it is printed once on stdout and stored only as a slow hash."""
    state: State = ctx.obj
    print(create_token(state.engine, username=user, robot=robot, label=label))
