"""`robotwork live`: subscribe to the fleet's MQTT status; `live status`, `live sync-broker`."""

import logging
import threading
from typing import Annotated

import typer

from robotwork.cli.output import (
    DEFAULT_LIMIT,
    Col,
    LimitOption,
    WideOption,
    print_json,
    print_table,
    rerun,
    say,
    t,
    word,
)
from robotwork.cli.state import State

MqttOption = Annotated[
    str,
    typer.Option(
        "--mqtt",
        envvar="ROBOTWORK_MQTT",
        help="Broker URL: mqtt://USER:PASSWORD@HOST:PORT (or mqtts:// for TLS); without a login, the "
        "subscriber account scripts/mosquitto.sh set up.",
    ),
]
WebhookOption = Annotated[
    str | None,
    typer.Option("--alert-webhook", help="POST every raised and cleared alert as JSON to this URL."),
]

app = typer.Typer(help="Live fleet status over MQTT.", invoke_without_command=True)


@app.callback()
def live_command(
    ctx: typer.Context,
    mqtt: MqttOption = "mqtt://127.0.0.1:1883",
    alert_webhook: WebhookOption = None,
) -> None:
    """Subscribe to robotwork/v1/+/connection and /state and keep every robot's live status in
    the registry and the store, until interrupted (Ctrl-C)."""
    if ctx.invoked_subcommand is not None:
        return
    from robotwork.live.service import start_live

    state: State = ctx.obj
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("robotwork").setLevel(logging.INFO)
    subscriber = start_live(mqtt, state.engine, state.store.files, state.policy, webhook=alert_webhook)
    say(f"live status from {subscriber.address.host}:{subscriber.address.port}; Ctrl-C to stop")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        subscriber.stop()
        say(f"stopped: {subscriber.stats}")


def _seen(value: str | None) -> str:
    return "-" if not value else value[:16].replace("T", " ")


_STATUS_COLUMNS = (
    Col("robot_serial", "robot", term="col.robot"),
    Col("status", "status", fmt=word("live.status."), term="live.col.status"),
    Col("connection", "connection", rank=2, term="live.col.connection"),
    Col("control_mode", "mode", rank=1, fmt=word("mode."), term="live.col.mode"),
    Col("task", "task", rank=3, flex=True, term="live.col.task"),
    Col("scenario_id", "scenario", rank=2, term="col.scenario"),
    Col("province", "province", rank=3, term="kind.province"),
    Col("last_seen", "last seen", rank=1, fmt=_seen, term="live.col.last_seen"),
)


@app.command("status")
def status_command(
    ctx: typer.Context,
    province: Annotated[str | None, typer.Option(help="Only robots deployed in this province.")] = None,
    scenario: Annotated[str | None, typer.Option(help="Only robots deployed on this scenario.")] = None,
    state_: Annotated[str | None, typer.Option("--state", help="Only robots with this status.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="The API's JSON on stdout.")] = False,
    wide: WideOption = False,
    limit: LimitOption = DEFAULT_LIMIT,
) -> None:
    """Every robot's live status as the registry holds it, stopped ones first."""
    from robotwork.read.live import live

    state: State = ctx.obj
    found = live(state.engine, state.scope, province=province, scenario=scenario, state=state_)
    data = found.model_dump(mode="json")
    if json_out:
        print_json(data)
        return
    print_table(
        data["robots"],
        _STATUS_COLUMNS,
        title=t("cli.live.title", "live status, stopped robots first (times in UTC)"),
        wide=wide,
        limit=limit,
        more=rerun(ctx, limit=0),
        empty=t("cli.live.empty", "no robot"),
    )
    say(", ".join(f"{t(f'live.status.{k}', k)} {v}" for k, v in data["counts"]["by_status"].items()))


@app.command("sync-broker")
def sync_broker_command(ctx: typer.Context) -> None:
    """Rewrite the broker's password file from the device tokens and reload the broker."""
    from robotwork.live.broker import broker_dir, sync_broker

    state: State = ctx.obj
    count = sync_broker(state.engine)
    if count is None:
        say(f"no broker set up in {broker_dir()} (run scripts/mosquitto.sh up)")
        raise typer.Exit(1)
    say(f"{count} robot(s) may log in to the broker ({broker_dir()})")
