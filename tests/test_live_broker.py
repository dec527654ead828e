"""The live path against real Mosquitto brokers and real MQTT clients: last will, staleness,
malformed payloads, a broker restart, and the broker's own checks (device tokens, ACL), including
the set-up scripts/mosquitto.sh makes."""

import json
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from brokers import Broker
from conftest import skip_or_fail
from livesrv import free_port
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from robotwork.accounts import create_token
from robotwork.live.broker import BROKER_DIR_ENV, sync_broker
from robotwork.live.contract import BROKEN, ONLINE, StateMessage, state_payload, topic
from robotwork.live.persist import read_rows, scan_events
from robotwork.live.simulator import Fleet, SimRobot
from robotwork.live.subscriber import LiveOptions, LiveSubscriber
from robotwork.registry.db import open_registry
from robotwork.registry.models import ApiToken, Organization, Robot
from robotwork.store.files import StoreFiles

ROOT = Path(__file__).resolve().parents[1]


def wait_until(check: Callable[[], object], timeout: float, pump: Fleet | None = None) -> float:
    """Seconds until `check()` is true (pumping a fleet's sockets meanwhile); fails on timeout."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            pytest.fail(f"not within {timeout} s")
        if pump is not None:
            pump.pump(0.02)
        else:
            time.sleep(0.02)
    return time.monotonic() - start


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Engine]:
    engine = open_registry(f"sqlite:///{tmp_path / 'registry.sqlite'}")
    with Session(engine) as session, session.begin():
        session.add(Organization(code="MAKER", name="Maker", kind="manufacturer", notes={}))
        session.add_all(Robot(serial=s, model="H1", manufacturer="MAKER", notes={}) for s in ("R1", "R2"))
    yield engine
    engine.dispose()


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    b = Broker(tmp_path / "broker", auth=False).start()
    yield b
    b.stop()


def subscribe(broker: Broker, engine: Engine, tmp_path: Path, **options: float) -> LiveSubscriber:
    opts = LiveOptions(flush_s=0.1, series_s=0.5, broker_sync_s=3600, **options)  # type: ignore[arg-type]
    sub = LiveSubscriber(broker.url, engine, StoreFiles(str(tmp_path / "store")), opts).start()
    assert sub.connected.wait(10), "subscriber did not connect"
    return sub


def test_last_will_when_the_socket_dies(broker: Broker, registry: Engine, tmp_path: Path) -> None:
    sub = subscribe(broker, registry, tmp_path)
    fleet = Fleet("127.0.0.1", broker.port, [SimRobot("R1", rate_hz=5)], keepalive=2)
    fleet.connect()
    fleet.run(0.5)
    robots = sub.tracker.robots
    wait_until(lambda: "R1" in robots and robots["R1"].status == "working", 5, fleet)
    fleet.drop("R1")  # no DISCONNECT, no OFFLINE: the socket is simply gone
    took = wait_until(lambda: robots["R1"].connection == BROKEN, 2.0)
    assert robots["R1"].status == "offline" and took < 2.0  # within the keepalive
    sub.stop()
    assert {r.robot_serial: r.status for r in read_rows(registry)} == {"R1": "offline"}


def test_clean_shutdown_says_offline_and_silence_goes_stale(
    broker: Broker, registry: Engine, tmp_path: Path
) -> None:
    sub = subscribe(broker, registry, tmp_path, stale_after_s=1.0)
    fleet = Fleet("127.0.0.1", broker.port, [SimRobot("R1", rate_hz=5), SimRobot("R2", rate_hz=5)])
    fleet.connect()
    fleet.run(0.5)
    robots = sub.tracker.robots
    wait_until(lambda: robots.get("R2") is not None and robots["R2"].status == "working", 5, fleet)
    fleet.disconnect(["R1"])
    wait_until(lambda: robots["R1"].connection == "OFFLINE", 5)
    fleet.robots["R2"].next_ns = time.time_ns() + 10**12  # R2 stays connected but says nothing
    wait_until(lambda: robots["R2"].status == "stale", 3, fleet)
    assert robots["R2"].connection == ONLINE and robots["R1"].status == "offline"
    fleet.robots["R2"].next_ns = time.time_ns()
    fleet.run(0.3)
    wait_until(lambda: robots["R2"].status == "working", 3, fleet)
    sub.stop()  # writes the series held since the last write
    files = StoreFiles(str(tmp_path / "store"))
    r2 = [
        e["status"] for e in scan_events(files, from_ns=0, to_ns=time.time_ns()) if e["robot_serial"] == "R2"
    ]
    changes = [status for i, status in enumerate(r2) if i == 0 or r2[i - 1] != status]
    assert changes == ["connected", "working", "stale", "working"]


def test_malformed_payloads_are_counted_and_logged(
    broker: Broker, registry: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sub = subscribe(broker, registry, tmp_path)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    bad = {
        "robotwork/v1/R1/state": b"{truncated",
        "robotwork/v1/R2/state": b'{"timestamp": "2026-12-01T10:00:00Z", "control_mode": "dancing"}',
        "robotwork/v1/R3/connection": b'{"state": "ASLEEP", "timestamp": "2026-12-01T10:00:00Z"}',
        "robotwork/v1/R4/state": b"\x00\x01\x02",
    }
    with caplog.at_level(logging.WARNING, logger="robotwork.live"):
        for name, payload in bad.items():
            client.publish(name, payload, qos=1).wait_for_publish(5)
        good = StateMessage("R5", time.time_ns(), "idle")
        client.publish(topic("R5", "state"), state_payload(good), qos=1).wait_for_publish(5)
        wait_until(lambda: "R5" in sub.tracker.robots, 5)
    client.loop_stop()
    client.disconnect()
    assert sub.stats["malformed"] == len(bad)
    assert set(sub.tracker.robots) == {"R5"}
    logged = caplog.text
    assert all(name in logged for name in bad)
    sub.stop()


def test_reconnect_after_the_broker_restarts(tmp_path: Path, registry: Engine) -> None:
    broker = Broker(tmp_path / "broker", auth=False, persist=True).start()
    try:
        sub = subscribe(broker, registry, tmp_path)
        fleet = Fleet("127.0.0.1", broker.port, [SimRobot("R1", rate_hz=5)])
        fleet.connect()
        fleet.run(0.3)
        wait_until(lambda: "R1" in sub.tracker.robots, 5, fleet)
        broker.stop()
        wait_until(lambda: not sub.connected.is_set(), 5)
        broker.start()
        wait_until(sub.connected.is_set, 20)  # paho's backoff: 1 s, then 2 s, ...
        assert sub.stats["connects"] == 2
        later = Fleet("127.0.0.1", broker.port, [SimRobot("R2", rate_hz=5)])
        later.connect()
        later.run(0.3)
        wait_until(lambda: "R2" in sub.tracker.robots, 5, later)  # subscribed again
        sub.stop()
        restarted = LiveSubscriber(broker.url, registry, StoreFiles(str(tmp_path / "store")))
        assert {"R1", "R2"} <= set(restarted.tracker.robots)  # robotwork restarts from its rows
        # A subscriber starting from nothing gets the picture back from retained messages that
        # outlived the restart (the broker keeps them on disk).
        fresh = open_registry(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
        again = subscribe(broker, fresh, tmp_path / "again")
        wait_until(lambda: {"R1", "R2"} <= set(again.tracker.robots), 5)
        assert again.tracker.robots["R2"].connection == ONLINE
        again.stop()
    finally:
        broker.stop()


def _login(port: int, user: str | None, password: str | None) -> str:
    """The broker's answer to a connection with this login: "Success" or why not."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    if user is not None:
        client.username_pw_set(user, password)
    answer: list[str] = []
    client.on_connect = lambda _c, _d, _f, reason, _p: answer.append(str(reason))
    client.connect("127.0.0.1", port)
    deadline = time.monotonic() + 5
    while not answer and time.monotonic() < deadline:
        client.loop(0.05)
    client.disconnect()
    return answer[0] if answer else "no answer"


@pytest.fixture
def auth_broker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Broker]:
    b = Broker(tmp_path / "auth-broker", auth=True).start()
    monkeypatch.setenv(BROKER_DIR_ENV, str(b.folder))
    yield b
    b.stop()


def test_device_tokens_and_the_acl(auth_broker: Broker, registry: Engine, tmp_path: Path) -> None:
    token = create_token(registry, robot="R1")  # writes the password file and reloads the broker
    wait_until(lambda: _login(auth_broker.port, "R1", token) == "Success", 5)
    assert _login(auth_broker.port, None, None) == "Not authorized"
    assert _login(auth_broker.port, "R1", token + "x") == "Not authorized"
    assert _login(auth_broker.port, "R2", token) == "Not authorized"

    sub = subscribe(auth_broker, registry, tmp_path)
    fleet = Fleet("127.0.0.1", auth_broker.port, [SimRobot("R1", password=token, rate_hz=5)])
    fleet.connect()
    robot = fleet.robots["R1"]
    assert robot.client is not None
    forged = StateMessage("R2", time.time_ns(), "fault")
    robot.client.publish(topic("R2", "state"), state_payload(forged), qos=1)  # refused by the ACL
    fleet.run(0.3)  # then R1's own states, after it on the same connection
    wait_until(lambda: sub.tracker.robots.get("R1") and sub.tracker.robots["R1"].control_mode, 5, fleet)
    assert "R2" not in sub.tracker.robots
    fleet.disconnect()
    sub.stop()

    with Session(registry) as session, session.begin():
        session.get(ApiToken, int(token.split("_")[1])).revoked_at = datetime.now(UTC)
    assert sync_broker(registry) == 0
    wait_until(lambda: _login(auth_broker.port, "R1", token) == "Not authorized", 5)


def test_the_projects_broker_script(tmp_path: Path, registry: Engine) -> None:
    """scripts/mosquitto.sh on a free port and folder: up twice (idempotent), no anonymous
    clients, its subscriber login works, device tokens reach it, down frees the port."""
    folder, port = tmp_path / "script-broker", free_port()
    env = dict(os.environ, ROBOTWORK_BROKER_DIR=str(folder), ROBOTWORK_MQTT_PORT=str(port))
    run = lambda action: subprocess.run(  # noqa: E731
        ["bash", str(ROOT / "scripts" / "mosquitto.sh"), action], env=env, capture_output=True, text=True
    )
    first = run("up")
    if first.returncode and "install the mosquitto package" in first.stderr:
        skip_or_fail("mosquitto is not installed")
    assert first.returncode == 0, first.stderr
    pid = (folder / "mosquitto.pid").read_text()
    try:
        again = run("up")
        assert again.returncode == 0 and "already" in again.stdout
        assert (folder / "mosquitto.pid").read_text() == pid
        assert _login(port, None, None) == "Not authorized"
        assert _login(port, "robotwork", (folder / "subscriber.secret").read_text()) == "Success"
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(BROKER_DIR_ENV, str(folder))
            token = create_token(registry, robot="R2")
        wait_until(lambda: _login(port, "R2", token) == "Success", 5)
    finally:
        down = run("down")
    assert down.returncode == 0, down.stderr
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_the_broker_on_1883_checks_passwords() -> None:
    """What scripts/services.sh up (scripts/mosquitto.sh) leaves on the machine's MQTT port."""
    try:
        socket.create_connection(("127.0.0.1", 1883), timeout=1).close()
    except OSError:
        skip_or_fail("no MQTT broker on 127.0.0.1:1883 (scripts/mosquitto.sh up)")
    assert _login(1883, None, None) == "Not authorized", (
        "anonymous broker on 1883: run scripts/mosquitto.sh up"
    )


def test_the_live_command(broker: Broker, tmp_path: Path) -> None:
    """`robotwork live` subscribes until Ctrl-C; `robotwork live status --json` reads what it kept."""
    home = tmp_path / "home"
    robotwork = [str(ROOT / ".venv" / "bin" / "robotwork"), "--home", str(home)]
    live = subprocess.Popen([*robotwork, "live", "--mqtt", broker.url], stderr=subprocess.PIPE, text=True)
    try:
        fleet = Fleet("127.0.0.1", broker.port, [SimRobot("R7", rate_hz=5)])
        fleet.connect()

        def working() -> bool:  # read the registry file as it is, while `live` migrates and writes it
            fleet.run(0.2)
            try:
                with sqlite3.connect(home / "registry.sqlite") as db:
                    return db.execute("SELECT status FROM live_robots").fetchall() == [("working",)]
            except sqlite3.Error:
                return False

        wait_until(working, 60)
        status = subprocess.run([*robotwork, "live", "status", "--json"], capture_output=True, text=True)
        assert status.returncode == 0, status.stderr
        [robot] = json.loads(status.stdout)["robots"]
        assert (robot["robot_serial"], robot["status"], robot["connection"]) == ("R7", "working", "ONLINE")
        fleet.disconnect()
    finally:
        live.send_signal(signal.SIGINT)
        _, err = live.communicate(timeout=30)
    assert live.returncode == 0, err
    assert "live status from 127.0.0.1" in err and "stopped: {'received':" in err
    assert "Traceback" not in err and "failed" not in err  # the alert and offline checks ran clean


def test_expired_tokens_leave_the_broker(auth_broker: Broker, registry: Engine) -> None:
    token = create_token(registry, robot="R2", expires=timedelta(days=1))
    wait_until(lambda: _login(auth_broker.port, "R2", token) == "Success", 5)
    with Session(registry) as session, session.begin():
        session.get(ApiToken, int(token.split("_")[1])).expires_at = datetime.now(UTC) - timedelta(seconds=1)
    assert sync_broker(registry) == 0  # what the running subscriber does every minute
    wait_until(lambda: _login(auth_broker.port, "R2", token) == "Not authorized", 5)
