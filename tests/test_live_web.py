"""The live picture as people see it: GET /api/v1/live (keys, counts, order, filters, roles), its
event stream, the live page in both languages, the robot and organization pages; alerts with a
webhook; live hours without evidence and recordings made while offline."""

import json
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest
from livesrv import serving
from recordings import write_json_mcap
from registry_docs import gd_fleet, write_json
from sqlalchemy import select
from sqlalchemy.orm import Session
from workdays import days_back, workdays

from robotwork.accounts import add_user, create_token
from robotwork.evidence.metrics import metrics
from robotwork.live.alerts import Alerts
from robotwork.live.contract import BROKEN, ONLINE, ConnectionMessage, StateMessage
from robotwork.live.evidence import (
    RECORDED_OFFLINE,
    flag_recordings_while_offline,
    live_hours_without_evidence,
)
from robotwork.live.persist import write_events, write_rows
from robotwork.live.tracker import Tracker
from robotwork.registry.importer import import_file
from robotwork.registry.models import Flag
from robotwork.web.app import create_app
from robotwork.web.settings import Settings

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

CONTRACT_KEYS = [
    "robot_serial",
    "connection",
    "control_mode",
    "task",
    "site_id",
    "battery",
    "last_seen",
    "stale",
]
MIN = 60 * 10**9
NOW = time.time_ns()


def picture(now: int) -> Tracker:
    """R-GD-1 working; R-GD-2 cut off 10 min ago; R-GD-3 in fault for 20 min; R-GD-4 offline for
    two hours; X-9 working but in no registry."""
    tracker = Tracker()
    for serial, minutes in (("R-GD-1", 60), ("R-GD-2", 60), ("R-GD-3", 60), ("R-GD-4", 180), ("X-9", 60)):
        tracker.apply(ConnectionMessage(serial, ONLINE, now - minutes * MIN), now - minutes * MIN)
        tracker.apply(
            StateMessage(serial, now, "autonomous", "pick", "S-GD-1", 80.0), now - minutes * MIN + 1
        )
    tracker.apply(ConnectionMessage("R-GD-2", BROKEN, now), now - 10 * MIN)
    tracker.apply(StateMessage("R-GD-3", now, "fault"), now - 20 * MIN)
    tracker.apply(ConnectionMessage("R-GD-4", BROKEN, now), now - 120 * MIN)
    for serial in ("R-GD-1", "X-9"):
        tracker.apply(StateMessage(serial, now, "autonomous", "pick", "S-GD-1", 79.0), now - 2 * 10**9)
    return tracker


@pytest.fixture
def web(db_url: str, tmp_path: Path, policy) -> Iterator[TestClient]:
    app = create_app(Settings(home=tmp_path / "home", db_url=db_url, secret_key="test"))
    engine = app.state.services.engine
    assert import_file(engine, write_json(gd_fleet(6), tmp_path / "fleet.json"), policy, actor="setup").ok
    add_user(engine, "min", "password-min", "ministry")
    client = TestClient(app, base_url="https://testserver")
    client.headers["Authorization"] = f"Bearer {create_token(engine, username='min')}"
    client.device = create_token(engine, robot="R-GD-1")  # type: ignore[attr-defined]
    readers = {"gd": ("province", {"org": "CN-GD"}), "zj": ("province", {"org": "CN-ZJ"})}
    readers["cons"] = ("consortium", {"consortium": "C-GD"})
    for name, (role, extra) in readers.items():
        add_user(engine, name, f"password-{name}", role, **extra)
    client.tokens = {name: create_token(engine, username=name) for name in readers}  # type: ignore[attr-defined]
    write_rows(engine, picture(NOW).snapshot())
    yield client
    engine.dispose()


def test_live_api_keys_counts_order_and_filters(web: TestClient) -> None:
    body = web.get("/api/v1/live").json()
    robots = body["robots"]
    assert all(list(r)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS for r in robots)
    # stopped in the last hour first, latest stop first; then the rest by serial
    assert [r["robot_serial"] for r in robots] == ["R-GD-2", "R-GD-3", "R-GD-1", "R-GD-4", "X-9"]
    first = robots[0]
    assert (first["connection"], first["status"], first["stale"], first["province"]) == (
        "CONNECTIONBROKEN",
        "offline",
        False,
        "CN-GD",
    )
    assert body["counts"]["by_status"] == {
        "working": 2,
        "idle": 0,
        "fault": 1,
        "connected": 0,
        "stale": 0,
        "offline": 2,
    }
    assert body["counts"]["by_province"] == {"CN-GD": {"offline": 2, "fault": 1, "working": 1}}
    assert body["counts"]["by_scenario"] == {"SC-GD-000": {"offline": 2, "fault": 1, "working": 1}}

    def serials(**params: str) -> list[str]:
        answer = web.get("/api/v1/live", params=params)
        assert answer.status_code == 200, answer.text
        return sorted(r["robot_serial"] for r in answer.json()["robots"])

    assert serials(province="CN-GD") == ["R-GD-1", "R-GD-2", "R-GD-3", "R-GD-4"]
    assert serials(state="offline") == ["R-GD-2", "R-GD-4"]
    assert serials(scenario="SC-GD-000", state="working") == ["R-GD-1"]
    assert serials(province="CN-ZJ") == []
    assert web.get("/api/v1/live", params={"state": "asleep"}).status_code == 422
    # read as robots are: an officer or a consortium member sees the robots in its scope only
    for name, seen in (("gd", 4), ("cons", 4), ("zj", 0)):
        mine = web.get("/api/v1/live", headers={"Authorization": f"Bearer {web.tokens[name]}"}).json()  # type: ignore[attr-defined]
        assert len(mine["robots"]) == mine["counts"]["total"] == seen, name
        assert all(r["robot_serial"].startswith("R-GD-") for r in mine["robots"])
        device = {"Authorization": f"Bearer {web.device}"}  # type: ignore[attr-defined]
    assert web.get("/api/v1/live", headers=device).status_code == 403
    assert web.get("/api/v1/live", headers={"Authorization": ""}).status_code == 401


def test_live_pages_in_both_languages(web: TestClient) -> None:
    en = web.get("/live?lang=en")
    assert en.status_code == 200
    assert (
        "Live fleet status" in en.text
        and 'data-serial="R-GD-2"' in en.text
        and "/api/v1/live/stream" in en.text
    )
    zh = web.get("/live?lang=zh&state=fault")
    assert (
        "机器人实时状态" in zh.text
        and 'data-serial="R-GD-3"' in zh.text
        and 'data-serial="R-GD-1"' not in zh.text
    )
    robot = web.get("/robot/R-GD-3?lang=en").text
    assert "Live status" in robot and "live-fault" in robot
    assert "has not reported live status" in web.get("/robot/R-GD-6?lang=en").text


def test_event_stream_follows_changes(web: TestClient) -> None:
    engine = web.app.state.services.engine  # type: ignore[attr-defined]
    headers = dict(web.headers)
    with (
        serving(web.app) as url,  # type: ignore[arg-type]
        httpx.Client(timeout=10, headers=headers) as client,
        client.stream("GET", f"{url}/api/v1/live/stream", params={"state": "fault"}) as answer,
    ):
        assert answer.headers["content-type"].startswith("text/event-stream")
        events = (json.loads(line[5:]) for line in answer.iter_lines() if line.startswith("data:"))
        assert [r["robot_serial"] for r in next(events)["robots"]] == ["R-GD-3"]
        tracker = picture(NOW)
        tracker.apply(StateMessage("R-GD-1", NOW, "fault"), time.time_ns())
        write_rows(engine, tracker.snapshot())
        assert sorted(r["robot_serial"] for r in next(events)["robots"]) == ["R-GD-1", "R-GD-3"]


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        self.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def worked(tmp_path: Path, policy) -> Iterator[dict]:
    """A SQLite home where R-GD-1 worked 16 days (09:00-11:30 Shanghai) and is in routine operation."""
    app = create_app(
        Settings(home=tmp_path / "home", db_url=f"sqlite:///{tmp_path / 'r.sqlite'}", secret_key="t")
    )
    services = app.state.services
    engine = services.engine
    assert import_file(engine, write_json(gd_fleet(6), tmp_path / "fleet.json"), policy, actor="setup").ok
    today = datetime.now(policy.zone).date()
    shifts = write_json_mcap(tmp_path / "r.mcap", workdays("R-GD-1", days_back(today, 16)))
    assert services.intake.take(shifts, actor="setup").status == "ingested"
    add_user(engine, "min", "password-min", "ministry")
    client = TestClient(app, base_url="https://testserver")
    client.headers["Authorization"] = f"Bearer {create_token(engine, username='min')}"
    ten = datetime(today.year, today.month, today.day, 10, tzinfo=policy.zone)  # in its hours
    yield {
        "client": client,
        "engine": engine,
        "store": app.state.services.store,
        "ten_ns": int(ten.timestamp()) * 10**9,
    }
    engine.dispose()


def test_alerts_in_working_hours_with_a_webhook(worked: dict, policy) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Hook.received = []
    engine, ten = worked["engine"], worked["ten_ns"]
    alerts = Alerts(engine, policy, webhook=f"http://127.0.0.1:{server.server_port}/hook")
    tracker = Tracker()
    for serial in ("R-GD-1", "R-GD-2"):  # R-GD-2 has no recordings: not in routine operation
        tracker.apply(ConnectionMessage(serial, BROKEN, ten), ten - 30 * MIN)
    assert alerts.check(tracker.snapshot(), ten - 16 * MIN) == []  # offline only 14 minutes
    [raised] = alerts.check(tracker.snapshot(), ten)
    assert (raised["event"], raised["robot_serial"], raised["kind"]) == ("raised", "R-GD-1", "offline")
    assert alerts.check(tracker.snapshot(), ten + MIN) == []  # raised once
    evening = Alerts(engine, policy)
    assert evening.check(tracker.snapshot(), ten + 10 * 60 * MIN) == []  # 20:00 is not its hour
    write_rows(engine, tracker.snapshot())
    page = worked["client"].get("/org/CN-GD?lang=en").text
    assert 'id="live-alerts"' in page and "Offline for over 15 minutes" in page
    assert [a["robot_serial"] for a in worked["client"].get("/api/v1/live").json()["alerts"]] == ["R-GD-1"]
    tracker.apply(StateMessage("R-GD-1", ten, "autonomous"), ten + 2 * MIN)
    [cleared] = alerts.check(tracker.snapshot(), ten + 3 * MIN)
    assert cleared["event"] == "cleared" and cleared["id"] == raised["id"]
    tracker.apply(StateMessage("R-GD-1", ten, "fault"), ten + 4 * MIN)  # connected, but in fault
    [fault] = alerts.check(tracker.snapshot(), ten + 20 * MIN)
    assert (fault["event"], fault["robot_serial"], fault["kind"]) == ("raised", "R-GD-1", "fault")
    deadline = time.monotonic() + 10
    while len(_Hook.received) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.shutdown()
    assert [(e["event"], e["kind"]) for e in _Hook.received] == [
        ("raised", "offline"),
        ("cleared", "offline"),
        ("raised", "fault"),
    ]


def test_live_against_evidence(worked: dict, policy) -> None:
    engine, store, ten = worked["engine"], worked["store"], worked["ten_ns"]
    ten_day = datetime.fromtimestamp(ten / 1e9, policy.zone).date()
    three_days_ago = ten - 3 * 24 * 60 * MIN
    tracker = Tracker()
    # R-GD-1 is offline for an hour inside its recording; R-GD-2 works live for two hours, unrecorded.
    script = [
        (three_days_ago - 60 * MIN, ConnectionMessage("R-GD-1", BROKEN, 0)),
        (three_days_ago, StateMessage("R-GD-1", 0, "autonomous")),
        (three_days_ago, StateMessage("R-GD-2", 0, "teleoperated")),
        (three_days_ago + 120 * MIN, ConnectionMessage("R-GD-2", BROKEN, 0)),
    ]
    for at, message in script:
        tracker.apply(message, at)
    write_events(store.files, tracker.drain()[1])
    write_rows(engine, tracker.snapshot())
    gaps = live_hours_without_evidence(engine, store.files, policy, now_ns=ten)
    assert {g["robot_serial"] for g in gaps} == {"R-GD-2"}
    assert sum(g["minutes"] for g in gaps) == 120
    assert flag_recordings_while_offline(engine, store.files, now_ns=ten) == 1
    assert flag_recordings_while_offline(engine, store.files, now_ns=ten) == 0  # flagged once
    with Session(engine) as session:
        [flag] = session.scalars(select(Flag).where(Flag.rule == RECORDED_OFFLINE))
        assert flag.evidence["offline_minutes"] == 60.0
    [counted] = [
        r for r in metrics(engine, policy, ten_day, "robot")["rows"] if r["robot_serial"] == "R-GD-1"
    ]
    assert counted["flagged"] and counted["operating_hours"] == 0  # out of the figures until cleared
    client = worked["client"]
    assert "Recorded while offline" in client.get("/integrity?lang=en").text
    robot = client.get("/api/v1/live/R-GD-2").json()  # the series gives its hours online
    assert (robot["status"], robot["history"]["hours_online"], robot["history"]["hours_working"]) == (
        "offline",
        2.0,
        2.0,
    )
    assert client.get("/api/v1/live/R-GD-9").status_code == 404
    listed = client.get("/live/without-evidence?lang=en").text
    assert "R-GD-2" in listed and "R-GD-1" not in listed
