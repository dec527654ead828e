"""Simulated robots: real MQTT clients (paho-mqtt) that keep the live contract.

Each robot sets its last will to CONNECTIONBROKEN, publishes a retained ONLINE after connecting,
a ``state`` at its own rate, and OFFLINE before a clean disconnect; `drop` closes a robot's socket
without a word, as a crash or a cut cable does, so the broker publishes its will. Thousands of
clients share one thread: sockets are polled with `selectors` and paho's loop_read / loop_write /
loop_misc, instead of a network thread per client.
"""

import random
import selectors
import time
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt

from robotwork.errors import RobotworkError
from robotwork.live.contract import (
    BROKEN,
    CONNECTION,
    OFFLINE,
    ONLINE,
    STATE,
    LiveError,
    StateMessage,
    connection_payload,
    state_payload,
    topic,
)

_MODES = ("autonomous", "autonomous", "autonomous", "teleoperated", "scripted", "idle")


@dataclass
class SimRobot:
    """One simulated robot and what it last said."""

    serial: str
    password: str | None = None
    site_id: str | None = None
    rate_hz: float = 0.1
    mode: str = "autonomous"
    battery: float = 100.0
    sent: int = 0
    last_state: StateMessage | None = None
    next_ns: int = 0
    client: mqtt.Client | None = field(default=None, repr=False)
    up: bool = False


class Fleet:
    """Simulated robots connected to one broker, driven from the calling thread."""

    def __init__(
        self, host: str, port: int, robots: list[SimRobot], *, qos: int = 1, keepalive: int = 60
    ) -> None:
        self.host, self.port, self.qos, self.keepalive = host, port, qos, keepalive
        self.robots = {r.serial: r for r in robots}
        self.refused: dict[str, str] = {}
        self._selector = selectors.DefaultSelector()
        self._rng = random.Random(0)
        self._next_misc = 0.0
        self.drift = True  # modes change now and then; a benchmark turns it off to keep them known

    def connect(self, serials: list[str] | None = None, *, timeout: float = 30.0) -> None:
        """Connect robots (all by default) and publish their retained ONLINE."""
        wanted = [self.robots[s] for s in serials or list(self.robots)]
        for robot in wanted:
            robot.client = self._client(robot)
            robot.client.connect(self.host, self.port, keepalive=self.keepalive)
            sock = robot.client.socket()
            assert sock is not None, "paho returned from connect() without a socket"
            self._selector.register(sock, selectors.EVENT_READ, robot)
        deadline = time.monotonic() + timeout
        while any(not r.up and r.serial not in self.refused for r in wanted):
            if time.monotonic() > deadline:
                raise RobotworkError(
                    f"simulated robots not connected to {self.host}:{self.port} in {timeout} s"
                )
            self.pump(0.05)
        start = time.time_ns()
        for robot in wanted:
            if robot.up:  # spread the robots over their period, as real ones are
                self._publish(robot, CONNECTION, connection_payload(ONLINE, time.time_ns()), retain=True)
                robot.next_ns = start + int(self._rng.uniform(0, 1e9 / robot.rate_hz))

    def _client(self, robot: SimRobot) -> mqtt.Client:
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"sim-{robot.serial}", protocol=mqtt.MQTTv311
        )
        if robot.password is not None:
            client.username_pw_set(robot.serial, robot.password)
        will = connection_payload(BROKEN, time.time_ns())
        client.will_set(topic(robot.serial, CONNECTION), will, qos=1, retain=True)

        def on_connect(_c: mqtt.Client, _d: object, _f: object, reason: mqtt.ReasonCode, _p: object) -> None:
            if reason.is_failure:
                self.refused[robot.serial] = str(reason)
            else:
                robot.up = True

        client.on_connect = on_connect
        return client

    def _publish(self, robot: SimRobot, kind: str, payload: bytes, *, retain: bool = False) -> None:
        assert robot.client is not None
        robot.client.publish(
            topic(robot.serial, kind), payload, qos=1 if kind == CONNECTION else self.qos, retain=retain
        )

    def publish_state(self, robot: SimRobot, time_ns: int) -> StateMessage:
        """Publish the robot's next state (its mode drifts now and then; its battery drains)."""
        if self.drift and self._rng.random() < 0.02:
            robot.mode = self._rng.choice(_MODES)
        robot.battery = max(5.0, robot.battery - 0.01)
        robot.sent += 1
        errors = (LiveError("E_MOTOR", "fatal", "joint 3 over temperature"),) if robot.mode == "fault" else ()
        message = StateMessage(
            robot.serial,
            time_ns,
            robot.mode,
            f"task-{robot.sent}",
            robot.site_id,
            round(robot.battery, 2),
            errors,
        )
        self._publish(robot, STATE, state_payload(message))
        robot.last_state = message
        return message

    def pump(self, timeout: float) -> None:
        """Move bytes: write what is queued, read what arrived, keep connections alive."""
        for robot in self.robots.values():
            if robot.client is not None and robot.client.want_write():
                robot.client.loop_write()
        if self._selector.get_map():
            for key, _ in self._selector.select(timeout):
                key.data.client.loop_read()
        else:
            time.sleep(timeout)
        if time.monotonic() >= self._next_misc:  # keepalive pings: a second is fine-grained enough
            self._next_misc = time.monotonic() + 1.0
            for robot in self.robots.values():
                if robot.client is not None:
                    robot.client.loop_misc()

    def run(self, seconds: float) -> int:
        """Publish every connected robot's state at its rate for `seconds`; messages sent."""
        end, sent = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            now = time.time_ns()
            for robot in self.robots.values():
                if robot.up and robot.next_ns <= now:
                    self.publish_state(robot, now)
                    period = int(1e9 / robot.rate_hz)
                    # behind by more than a period (a paused robot): start again from now
                    robot.next_ns = max(robot.next_ns + period, now)
                    sent += 1
            self.pump(0.002)
        return sent

    def _forget(self, robot: SimRobot) -> None:
        if robot.client is not None:
            sock = robot.client.socket()
            if sock is not None:
                self._selector.unregister(sock)
        robot.up = False

    def drop(self, serial: str) -> None:
        """Cut a robot off without a DISCONNECT: the broker publishes its last will."""
        robot = self.robots[serial]
        self._forget(robot)
        sock = robot.client.socket() if robot.client else None
        if sock is not None:
            sock.close()
        robot.client = None

    def disconnect(self, serials: list[str] | None = None) -> None:
        """Say OFFLINE (retained) and disconnect cleanly."""
        for serial in serials or list(self.robots):
            robot = self.robots[serial]
            if not robot.up or robot.client is None:
                continue
            self._publish(robot, CONNECTION, connection_payload(OFFLINE, time.time_ns()), retain=True)
            robot.client.disconnect()
            self.pump(0)
            self._forget(robot)
            robot.client = None
