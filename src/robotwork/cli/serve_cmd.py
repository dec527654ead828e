"""`robotwork serve`: the dashboard and REST API on the embedded default."""

from typing import Annotated

import typer

from robotwork.cli.output import say
from robotwork.cli.state import State


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    insecure_cookies: Annotated[
        bool,
        typer.Option(
            help="Send the session cookie over plain HTTP to a "
            "host other than localhost (behind a TLS proxy)."
        ),
    ] = False,
) -> None:
    """Serve the dashboard (/) and the REST API (/api/v1, docs at /api/docs)."""
    import uvicorn

    from robotwork.web.app import create_app
    from robotwork.web.settings import Settings

    state: State = ctx.obj
    app = create_app(
        Settings(
            home=state.home,
            db_url=state.db_url,
            store_url=state.store_url,
            policy_path=state.policy_path,
            secure_cookies=not insecure_cookies,
        )
    )
    say(f"robotwork dashboard on http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
