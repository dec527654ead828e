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
    mqtt: Annotated[
        str | None,
        typer.Option(help="Also keep live fleet status from this MQTT broker (see robotwork live)."),
    ] = None,
    alert_webhook: Annotated[
        str | None, typer.Option(help="With --mqtt: POST live alerts as JSON to this URL.")
    ] = None,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            help="Hand uploads to this Ray cluster (HOST:PORT, auto: the one on this machine, "
            "local: a Ray of this process's own) instead of this process's threads.",
        ),
    ] = None,
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
    if ray:
        from robotwork.cluster import Home, RayIngestWorkers

        services = app.state.services
        services.workers.shutdown()  # after what it resumed at start: uploads now go to the cluster
        home = Home.at(state.home, state.db_url, state.store_url, state.policy_path, "web")
        services.workers = RayIngestWorkers(home, ray)
        services.workers.resume()
    say(f"robotwork dashboard on http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)")
    live = None
    if mqtt:
        from robotwork.live.service import start_live

        live = start_live(mqtt, state.engine, state.store.files, state.policy, webhook=alert_webhook)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        if live is not None:
            live.stop()
