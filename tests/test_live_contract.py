"""The live contract's payloads (write then read, and malformed ones), the in-memory picture, and
its registry rows and Parquet time series (write then read)."""

import json

import pytest

from robotwork.live.broker import mosquitto_hash
from robotwork.live.contract import (
    BROKEN,
    OFFLINE,
    ONLINE,
    ConnectionMessage,
    LiveError,
    MalformedMessage,
    StateMessage,
    connection_payload,
    read_message,
    state_payload,
)
from robotwork.live.persist import read_rows, scan_events, write_events, write_rows
from robotwork.live.tracker import Tracker
from robotwork.store.files import StoreFiles

T0 = 1_796_000_000_123_000_000  # ms-aligned: payloads carry milliseconds
S = 10**9


def test_state_round_trip() -> None:
    sent = StateMessage(
        "R-1", T0, "teleoperated", "pick", "SITE-1", 55.5, (LiveError("E1", "warning", "hot"),)
    )
    assert read_message("robotwork/v1/R-1/state", state_payload(sent)) == sent
    bare = StateMessage("R-1", T0, "idle")
    assert read_message("robotwork/v1/R-1/state", state_payload(bare)) == bare


def test_connection_round_trip() -> None:
    for state in (ONLINE, OFFLINE, BROKEN):
        got = read_message("robotwork/v1/R-1/connection", connection_payload(state, T0))
        assert got == ConnectionMessage("R-1", state, T0)


GOOD = json.loads(state_payload(StateMessage("R", T0, "autonomous")))


@pytest.mark.parametrize(
    ("topic", "payload", "why"),
    [
        ("robotwork/v1/R/state", b"{not json", "not JSON"),
        ("robotwork/v1/R/state", b"\xff\xfe", "not JSON"),
        ("robotwork/v1/R/state", b"[1, 2]", "JSON object"),
        ("robotwork/v1/R/state", json.dumps({**GOOD, "control_mode": "dancing"}).encode(), "control_mode"),
        ("robotwork/v1/R/state", json.dumps({**GOOD, "battery": 101}).encode(), "outside 0-100"),
        ("robotwork/v1/R/state", json.dumps({**GOOD, "battery": True}).encode(), "battery"),
        ("robotwork/v1/R/state", json.dumps({**GOOD, "errors": [{"code": "E"}]}).encode(), "level"),
        ("robotwork/v1/R/state", json.dumps({**GOOD, "errors": "boom"}).encode(), "errors must be a list"),
        ("robotwork/v1/R/state", json.dumps({**GOOD, "timestamp": "yesterday"}).encode(), "ISO-8601"),
        (
            "robotwork/v1/R/state",
            json.dumps({**GOOD, "timestamp": "2026-12-01T10:00:00"}).encode(),
            "time zone",
        ),
        (
            "robotwork/v1/R/state",
            json.dumps({k: v for k, v in GOOD.items() if k != "task"}).encode(),
            "missing",
        ),
        (
            "robotwork/v1/R/connection",
            json.dumps({"state": "ASLEEP", "timestamp": GOOD["timestamp"]}).encode(),
            "state",
        ),
        ("robotwork/v2/R/state", state_payload(StateMessage("R", T0, "idle")), "not a robotwork/v1"),
        ("robotwork/v1/R/status", state_payload(StateMessage("R", T0, "idle")), "not a robotwork/v1"),
    ],
)
def test_malformed_messages_name_topic_and_reason(topic: str, payload: bytes, why: str) -> None:
    with pytest.raises(MalformedMessage) as caught:
        read_message(topic, payload)
    assert topic in str(caught.value) and why in str(caught.value)


def test_tracker_status_stale_and_offline() -> None:
    tracker = Tracker(stale_after_s=30)
    tracker.apply(ConnectionMessage("A", ONLINE, T0), T0)
    assert tracker.robots["A"].status == "connected"
    tracker.apply(StateMessage("A", T0, "autonomous", "t1"), T0 + S)
    assert tracker.robots["A"].status == "working"
    assert tracker.expire(T0 + 30 * S) == []  # 29 s after the last state: not stale yet
    assert tracker.expire(T0 + 32 * S) == ["A"]
    assert (tracker.robots["A"].status, tracker.robots["A"].status_since_ns) == ("stale", T0 + 32 * S)
    tracker.apply(StateMessage("A", T0, "fault"), T0 + 40 * S)
    assert (tracker.robots["A"].status, tracker.robots["A"].stale) == ("fault", False)
    tracker.apply(ConnectionMessage("A", BROKEN, T0), T0 + 41 * S)
    assert tracker.robots["A"].status == "offline"  # at once, not after the stale time
    assert tracker.expire(T0 + 100 * S) == []  # an offline robot is not also stale
    changed, events = tracker.drain()
    assert [r.robot_serial for r in changed] == ["A"]
    assert [e["status"] for e in events] == ["connected", "working", "stale", "fault", "offline"]
    assert tracker.drain() == ([], [])


def test_rows_round_trip(engine) -> None:
    tracker = Tracker()
    tracker.apply(StateMessage("A", T0, "teleoperated", "t", "S1", 12.5, (LiveError("E", "fatal", "x"),)), T0)
    tracker.apply(ConnectionMessage("B", OFFLINE, T0), T0 + S)
    changed, _ = tracker.drain()
    write_rows(engine, changed)
    tracker.apply(StateMessage("A", T0 + S, "idle"), T0 + 2 * S)
    write_rows(engine, tracker.drain()[0])  # an update of an existing row
    back = {r.robot_serial: r for r in read_rows(engine)}
    assert back == tracker.robots


def test_events_round_trip_by_day(tmp_path) -> None:
    files = StoreFiles(str(tmp_path / "store"))
    day = 86_400 * S
    events = [
        {
            "time_ns": T0 + i * 7 * 3600 * S,
            "robot_serial": f"R{i % 2}",
            "connection": ONLINE,
            "control_mode": "idle",
            "status": "idle",
            "stale": False,
            "task": None,
            "site_id": None,
        }
        for i in range(8)
    ]
    paths = write_events(files, events)
    assert len(paths) == len({e["time_ns"] // day for e in events})
    assert list(scan_events(files, from_ns=T0, to_ns=T0 + 10 * day)) == events
    window = [e for e in events if T0 + day <= e["time_ns"] < T0 + 2 * day]
    assert list(scan_events(files, from_ns=T0 + day, to_ns=T0 + 2 * day)) == window
    assert list(scan_events(files, from_ns=0, to_ns=day)) == []


def test_mosquitto_hash_format() -> None:
    digest = mosquitto_hash("secret", salt=b"0123456789ab")
    kind, iterations, salt, value = digest.split("$")[1:]
    assert (kind, iterations, salt) == ("7", "101", "MDEyMzQ1Njc4OWFi")
    assert (
        mosquitto_hash("secret", salt=b"0123456789ab")
        == digest
        != mosquitto_hash("other", salt=b"0123456789ab")
    )
