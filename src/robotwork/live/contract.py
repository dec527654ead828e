"""The live status contract robots are built against: topics, payloads, their checks.

Public and fixed (docs/live.md): robots publish under ``robotwork/v1/{robot_serial}/`` a retained
``connection`` message (ONLINE / OFFLINE / CONNECTIONBROKEN, the last one as their MQTT last will)
and a ``state`` message at least every 10 s while online. `read_message` is the only way in: it
turns a topic and raw payload into a typed message or raises `MalformedMessage` naming the topic,
and `connection_payload` / `state_payload` are its writing half (simulator, tests, benchmark).
"""

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from robotwork.errors import RobotworkError
from robotwork.store.schema import CONTROL_MODES

TOPIC_ROOT = "robotwork/v1"
CONNECTION, STATE = "connection", "state"
SUBSCRIPTIONS = (f"{TOPIC_ROOT}/+/{CONNECTION}", f"{TOPIC_ROOT}/+/{STATE}")
ONLINE, OFFLINE, BROKEN = "ONLINE", "OFFLINE", "CONNECTIONBROKEN"
CONNECTION_STATES = (ONLINE, OFFLINE, BROKEN)
ERROR_LEVELS = ("warning", "fatal")
_STATE_KEYS = {"timestamp", "control_mode", "task", "site_id", "battery", "errors"}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_TEXT = 500  # a task, site or error text longer than this is not a status, it is a dump


class MalformedMessage(RobotworkError):
    """A message on a live topic that breaks the contract; the text names the topic and why."""


@dataclass(frozen=True)
class LiveError:
    """One error a robot reports in its state."""

    code: str
    level: str
    text: str


@dataclass(frozen=True)
class ConnectionMessage:
    """A robot's connection state (its retained ``connection`` topic)."""

    robot_serial: str
    state: str
    time_ns: int


@dataclass(frozen=True)
class StateMessage:
    """A robot's operating state (its ``state`` topic)."""

    robot_serial: str
    time_ns: int
    control_mode: str
    task: str | None = None
    site_id: str | None = None
    battery: float | None = None
    errors: tuple[LiveError, ...] = field(default_factory=tuple)


LiveMessage = ConnectionMessage | StateMessage


def topic(robot_serial: str, kind: str) -> str:
    """The topic a robot publishes `kind` (connection or state) on."""
    return f"{TOPIC_ROOT}/{robot_serial}/{kind}"


def iso_time(time_ns: int) -> str:
    """ISO-8601 UTC text of a time in nanoseconds, as payloads carry it (milliseconds, cut not
    rounded, in integers so a time never moves to the next millisecond)."""
    moment = _EPOCH + timedelta(microseconds=time_ns // 1000)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _time_ns(value: Any, where: str) -> int:
    if not isinstance(value, str):
        raise MalformedMessage(f"{where}: timestamp must be ISO-8601 text, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise MalformedMessage(f"{where}: timestamp {value!r} is not ISO-8601") from None
    if parsed.tzinfo is None:
        raise MalformedMessage(f"{where}: timestamp {value!r} has no time zone (UTC expected)")
    return (parsed - _EPOCH) // timedelta(microseconds=1) * 1000


def _text(body: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > _MAX_TEXT:
        raise MalformedMessage(f"{where}: {key} must be text of 1-{_MAX_TEXT} characters, got {value!r}")
    return value


def _battery(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MalformedMessage(f"{where}: battery must be a number 0-100 or null, got {value!r}")
    if not 0 <= value <= 100:
        raise MalformedMessage(f"{where}: battery {value} is outside 0-100")
    return float(value)


def _errors(value: Any, where: str) -> tuple[LiveError, ...]:
    if not isinstance(value, list):
        raise MalformedMessage(f"{where}: errors must be a list, got {value!r}")
    found = []
    for i, item in enumerate(value):
        at = f"{where}: errors[{i}]"
        if not isinstance(item, dict):
            raise MalformedMessage(f"{at} must be an object")
        level = item.get("level")
        if level not in ERROR_LEVELS:
            raise MalformedMessage(f"{at}: level must be one of {', '.join(ERROR_LEVELS)}, got {level!r}")
        code, text = _text(item, "code", at, required=True), _text(item, "text", at) or ""
        found.append(LiveError(str(code), level, text))
    return tuple(found)


def _serial(topic_name: str) -> tuple[str, str]:
    parts = topic_name.split("/")
    if len(parts) != 4 or "/".join(parts[:2]) != TOPIC_ROOT or parts[3] not in (CONNECTION, STATE):
        raise MalformedMessage(f"{topic_name}: not a robotwork/v1/{{robot_serial}}/connection|state topic")
    if not parts[2] or len(parts[2]) > 64:
        raise MalformedMessage(f"{topic_name}: empty or over-long robot serial")
    return parts[2], parts[3]


def read_message(topic_name: str, payload: bytes | bytearray) -> LiveMessage:
    """The message a robot sent, checked against the contract; `MalformedMessage` otherwise."""
    serial, kind = _serial(topic_name)
    try:
        body = json.loads(payload)
    except (UnicodeDecodeError, ValueError):
        raise MalformedMessage(f"{topic_name}: payload is not JSON ({len(payload)} bytes)") from None
    if not isinstance(body, dict):
        raise MalformedMessage(f"{topic_name}: payload must be a JSON object")
    when = _time_ns(body.get("timestamp"), topic_name)
    if kind == CONNECTION:
        state = body.get("state")
        if state not in CONNECTION_STATES:
            raise MalformedMessage(f"{topic_name}: state must be one of {', '.join(CONNECTION_STATES)}")
        return ConnectionMessage(serial, state, when)
    missing = _STATE_KEYS - body.keys()
    if missing:
        raise MalformedMessage(f"{topic_name}: missing {', '.join(sorted(missing))}")
    mode = body["control_mode"]
    if mode not in CONTROL_MODES:
        raise MalformedMessage(f"{topic_name}: control_mode must be one of {', '.join(CONTROL_MODES)}")
    return StateMessage(
        serial,
        when,
        mode,
        task=_text(body, "task", topic_name),
        site_id=_text(body, "site_id", topic_name),
        battery=_battery(body["battery"], topic_name),
        errors=_errors(body["errors"], topic_name),
    )


def connection_payload(state: str, time_ns: int) -> bytes:
    """The ``connection`` payload of `state` at `time_ns` (what a robot publishes)."""
    return json.dumps({"state": state, "timestamp": iso_time(time_ns)}).encode()


def state_payload(message: StateMessage) -> bytes:
    """The ``state`` payload of a message (what a robot publishes)."""
    return json.dumps(
        {
            "timestamp": iso_time(message.time_ns),
            "control_mode": message.control_mode,
            "task": message.task,
            "site_id": message.site_id,
            "battery": message.battery,
            "errors": [{"code": e.code, "level": e.level, "text": e.text} for e in message.errors],
        }
    ).encode()
