"""The live picture of the fleet in memory: what each robot said last, and what changed.

The subscriber's network thread applies messages; a flush thread takes the robots that changed
(for the registry's current rows) and the state changes (for the store's time series). One lock
guards both, held only for a dictionary update, so applying stays cheap at thousands of
messages a second.
"""

import copy
import threading
from dataclasses import dataclass, field
from typing import Any

from robotwork.live.contract import BROKEN, OFFLINE, ONLINE, ConnectionMessage, LiveMessage, StateMessage

WORKING_MODES = ("autonomous", "teleoperated", "scripted")
# One status per robot, what the page counts: "connected" is online with no state yet.
STATUSES = ("working", "idle", "fault", "connected", "stale", "offline")
STOPPED = ("fault", "stale", "offline")
STALE_AFTER_S = 30.0  # no state for this long makes a robot stale (the contract asks for 10 s)


@dataclass
class RobotLive:
    """One robot's live status; times are receipt times in integer nanoseconds UTC."""

    robot_serial: str
    connection: str | None = None
    control_mode: str | None = None
    task: str | None = None
    site_id: str | None = None
    battery: float | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    last_seen_ns: int = 0
    fresh_ns: int = 0  # last state, or the ONLINE that started this connection
    sent_ns: int = 0  # the robot's own timestamp of its last state
    stale: bool = False
    status: str = "connected"
    status_since_ns: int = 0

    def derived_status(self) -> str:
        """What the robot is doing now, from its connection, staleness and control mode."""
        if self.connection in (OFFLINE, BROKEN):
            return "offline"
        if self.stale:
            return "stale"
        if self.control_mode is None:
            return "connected"
        if self.control_mode in WORKING_MODES:
            return "working"
        return self.control_mode  # idle | fault

    def event_key(self) -> tuple[Any, ...]:
        """What makes a row of the time series: a change of any of these."""
        return (self.connection, self.control_mode, self.stale, self.status, self.task, self.site_id)


def event_row(robot: RobotLive, time_ns: int) -> dict[str, Any]:
    """A row of the live time series: the robot's state from `time_ns` on."""
    return {
        "time_ns": time_ns,
        "robot_serial": robot.robot_serial,
        "connection": robot.connection,
        "control_mode": robot.control_mode,
        "status": robot.status,
        "stale": robot.stale,
        "task": robot.task,
        "site_id": robot.site_id,
    }


class Tracker:
    """Live status of every robot heard from, with the changes not yet written."""

    def __init__(
        self, robots: list[RobotLive] | None = None, *, stale_after_s: float = STALE_AFTER_S
    ) -> None:
        self.robots: dict[str, RobotLive] = {r.robot_serial: r for r in robots or []}
        self.stale_after_ns = int(stale_after_s * 1e9)
        self._dirty: set[str] = set()
        self._events: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def apply(self, message: LiveMessage, received_ns: int) -> None:
        """Take one valid message, received at `received_ns`."""
        with self._lock:
            robot = self.robots.get(message.robot_serial)
            if robot is None:
                robot = self.robots[message.robot_serial] = RobotLive(message.robot_serial)
            before = robot.event_key()
            robot.last_seen_ns = received_ns
            if isinstance(message, ConnectionMessage):
                robot.connection = message.state
                if message.state == ONLINE:
                    robot.fresh_ns, robot.stale = received_ns, False
            elif isinstance(message, StateMessage):
                if robot.connection in (OFFLINE, BROKEN):
                    robot.connection = ONLINE  # a state proves it is back, even before its ONLINE
                robot.control_mode, robot.task, robot.site_id = (
                    message.control_mode,
                    message.task,
                    message.site_id,
                )
                robot.battery, robot.sent_ns = message.battery, message.time_ns
                robot.errors = [{"code": e.code, "level": e.level, "text": e.text} for e in message.errors]
                robot.fresh_ns, robot.stale = received_ns, False
            self._changed(robot, before, received_ns)

    def _changed(self, robot: RobotLive, before: tuple[Any, ...], now_ns: int) -> None:
        status = robot.derived_status()
        if status != robot.status:
            robot.status, robot.status_since_ns = status, now_ns
        self._dirty.add(robot.robot_serial)
        if robot.event_key() != before:
            self._events.append(event_row(robot, now_ns))

    def expire(self, now_ns: int) -> list[str]:
        """Mark robots stale that sent no state for the stale time; their serials."""
        found = []
        with self._lock:
            for robot in self.robots.values():
                if robot.stale or robot.connection in (OFFLINE, BROKEN) or not robot.fresh_ns:
                    continue
                if now_ns - robot.fresh_ns > self.stale_after_ns:
                    before = robot.event_key()
                    robot.stale = True
                    self._changed(robot, before, now_ns)
                    found.append(robot.robot_serial)
        return found

    def drain(self) -> tuple[list[RobotLive], list[dict[str, Any]]]:
        """Copies of the robots changed since the last drain, and the state changes in order."""
        with self._lock:
            # shallow copies: `apply` replaces a robot's errors list, never changes it in place
            changed = [copy.copy(self.robots[s]) for s in self._dirty]
            events, self._events, self._dirty = self._events, [], set()
        return changed, events

    def restore(self, changed: list[RobotLive], events: list[dict[str, Any]]) -> None:
        """Put back what a failed write drained, so the next flush writes it (newer rows win)."""
        with self._lock:
            self._dirty.update(r.robot_serial for r in changed)
            self._events[:0] = events

    def snapshot(self) -> list[RobotLive]:
        """Copies of every robot's status."""
        with self._lock:
            return [copy.copy(r) for r in self.robots.values()]
