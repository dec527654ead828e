"""`robotwork users add|disable|enable` and `robotwork tokens create|list|revoke`.

Thin commands over `robotwork.accounts`; every change goes to the audit trail with the actor
(`--actor`, default the login name) and this machine as the address.
"""

from typing import Annotated

import typer

from robotwork.accounts import (
    ROLES,
    add_user,
    create_token,
    list_tokens,
    parse_duration,
    revoke_token,
    set_disabled,
)
from robotwork.cli.output import Col, JsonOption, WideOption, print_json, print_table, say, t
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
        str | None, typer.Option(help="The province or central SOE of an officer; the algorithm team of one.")
    ] = None,
    consortium: Annotated[str | None, typer.Option(help="The consortium of a consortium member.")] = None,
) -> None:
    """Create a user, or reset an existing user's password and role."""
    state: State = ctx.obj
    add_user(state.engine, username, password, role, org=org, consortium=consortium, actor=state.actor)
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
    expires: Annotated[
        str | None, typer.Option(help="Valid for this long, e.g. 90d, 12h, 2w (default: until revoked).")
    ] = None,
) -> None:
    """Create a bearer token; it is printed once on stdout and stored only as a slow hash."""
    state: State = ctx.obj
    lifetime = parse_duration(expires) if expires else None
    print(
        create_token(
            state.engine, username=user, robot=robot, label=label, expires=lifetime, actor=state.actor
        )
    )


_TOKEN_COLUMNS = (
    Col("id", "id", right=True, term="cli.col.id"),
    Col("user", "user", fmt=lambda v: v or "", term="cli.col.user"),
    Col("robot", "robot", fmt=lambda v: v or "", term="col.robot"),
    Col("label", "label", rank=2, flex=True, fmt=lambda v: v or "", term="cli.col.label"),
    Col("created_at", "created", rank=1, fmt=lambda v: v[:16].replace("T", " "), term="sort.created_at"),
    Col(
        "expires_at",
        "expires",
        rank=1,
        fmt=lambda v: (v or "never")[:16].replace("T", " "),
        term="cli.col.expires",
    ),
    Col(
        "revoked_at",
        "revoked",
        wide=True,
        fmt=lambda v: (v or "")[:16].replace("T", " "),
        term="cli.col.revoked",
    ),
    Col("state", "state", term="cli.col.state"),
)


@tokens_app.command("list")
def tokens_list(
    ctx: typer.Context,
    as_json: JsonOption = False,
    wide: WideOption = False,
) -> None:
    """Every token (never its secret): id, user or robot, label, created, expires, state."""
    state: State = ctx.obj
    rows = list_tokens(state.engine)
    if as_json:
        print_json(rows)
        return
    print_table(
        rows,
        _TOKEN_COLUMNS,
        title=t("cli.tokens.title", "tokens (times in UTC)"),
        wide=wide,
        empty=t("cli.tokens.empty", "no token"),
    )


@tokens_app.command("revoke")
def tokens_revoke(
    ctx: typer.Context, token_id: Annotated[int, typer.Argument(help="The token's id (see `tokens list`).")]
) -> None:
    """Revoke a token at once: every request with it is refused (401) from now on."""
    state: State = ctx.obj
    token = revoke_token(state.engine, token_id, actor=state.actor)
    say(f"token {token.id} ({token.username or f'device {token.robot_serial}'}) revoked")


@users_app.command("disable")
def users_disable(ctx: typer.Context, username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Disable a user: no login, its sessions end and its tokens stop working (until enabled)."""
    state: State = ctx.obj
    set_disabled(state.engine, username, True, actor=state.actor)
    say(f"user {username} disabled; its sessions ended")


@users_app.command("enable")
def users_enable(ctx: typer.Context, username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Enable a disabled user again (its tokens that are not revoked or expired work again)."""
    state: State = ctx.obj
    set_disabled(state.engine, username, False, actor=state.actor)
    say(f"user {username} enabled")
