"""REST API on a fresh app per test, on SQLite and PostgreSQL; roles against every write."""

import json
import time
import warnings
from datetime import UTC, datetime

import pytest
from recordings import synthetic_content, write_json_mcap
from registry_docs import edited, province_program, write_json
from test_import import snapshot

from robotwork.accounts import add_user, create_token
from robotwork.registry.importer import import_file
from robotwork.web.app import create_app
from robotwork.web.session import COOKIE
from robotwork.web.settings import Settings

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

START = int(datetime(2026, 9, 1, 2, tzinfo=UTC).timestamp()) * 10**9


def program():
    """CN-GD (with consortium C-GD and robots R-GD-1, R-GD-2) and a CN-ZJ officer's province."""
    doc = province_program()
    doc["robots"].append({"serial": "R-GD-2", "model": "H1", "manufacturer": "M-UNITREE"})
    doc["consortia"].append({"consortium_id": "C-OTHER", "name": "Other", "scenario_ids": ["SC-GD-005"]})
    return doc


@pytest.fixture
def api(db_url, tmp_path, policy):
    """A fresh app, its client and a bearer token per role."""
    app = create_app(Settings(home=tmp_path / "home", db_url=db_url, secret_key="test"))
    engine = app.state.services.engine
    assert import_file(engine, write_json(program(), tmp_path / "p.json"), policy, actor="setup").ok
    users = {
        "ministry": ("ministry", {}),
        "gd": ("province", {"org": "CN-GD"}),
        "zj": ("province", {"org": "CN-ZJ"}),
        "sgcc": ("central_soe", {"org": "SOE-SGCC"}),
        "cons": ("consortium", {"consortium": "C-GD"}),
        "other": ("consortium", {"consortium": "C-OTHER"}),
    }
    tokens = {}
    for name, (role, extra) in users.items():
        add_user(engine, name, "password-" + name, role, **extra)
        tokens[name] = create_token(engine, username=name)
    tokens["device1"] = create_token(engine, robot="R-GD-1")
    tokens["device2"] = create_token(engine, robot="R-GD-2")
    client = TestClient(app, base_url="https://testserver")
    client.tokens = tokens
    client.engine = engine
    yield client
    engine.dispose()


def auth(client, who):
    return {"Authorization": f"Bearer {client.tokens[who]}"}


READS = [
    "/api/v1/me",
    "/api/v1/registry/scenarios",
    "/api/v1/registry/scenarios/SC-GD-001",
    "/api/v1/registry/consortia",
    "/api/v1/compliance",
    "/api/v1/compliance?org=CN-GD&as_of=2026-11-30",
    "/api/v1/metrics/national",
    "/api/v1/metrics/robot?as_of=2026-11-20",
    "/api/v1/metrics/scenario",
    "/api/v1/metrics/province",
    "/api/v1/recordings",
    "/api/v1/flags",
    "/api/v1/datasets",
    "/api/openapi.json",
    "/api/docs",
]


def test_nothing_but_health_without_a_login(api):
    assert api.get("/health").json()["status"] == "ok"
    for url in READS:
        assert api.get(url).status_code == 401, url
    assert api.get("/api/v1/me", headers={"Authorization": "Bearer rwt_1_wrong"}).status_code == 401


def test_reads_for_every_role(api):
    for url in READS:
        response = api.get(url, headers=auth(api, "zj"))
        assert response.status_code == 200, (url, response.text)
    assert api.get("/api/v1/me", headers=auth(api, "gd")).json()["org_code"] == "CN-GD"
    gd = api.get("/api/v1/compliance?org=CN-GD", headers=auth(api, "ministry")).json()["organizations"][0]
    assert gd["scenarios_counted"] == 20 and "verified_robots_in_routine_operation" in gd
    assert api.get("/api/v1/registry/nope", headers=auth(api, "ministry")).status_code == 404
    assert api.get("/api/v1/registry/robots/R-NOPE", headers=auth(api, "ministry")).status_code == 404
    assert api.get("/api/v1/metrics/planet", headers=auth(api, "ministry")).status_code == 422


def test_progress_reports_download(api):
    pdf = api.get("/api/v1/reports/progress/CN-GD?lang=en&format=pdf", headers=auth(api, "zj"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "progress-CN-GD-" in pdf.headers["content-disposition"]
    html = api.get("/api/v1/reports/progress/national?lang=zh&format=html", headers=auth(api, "gd"))
    assert html.status_code == 200 and "<svg" in html.text
    assert api.get("/api/v1/reports/progress/CN-XX", headers=auth(api, "gd")).status_code == 404
    assert api.get("/api/v1/reports/progress/CN-GD?format=doc", headers=auth(api, "gd")).status_code == 422


def test_api_docs_are_served_locally(api):
    page = api.get("/api/docs", headers=auth(api, "gd")).text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert api.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def _workbook(tmp_path, doc):
    return {"file": ("nominations.json", json.dumps(doc).encode(), "application/json")}


def _recording(tmp_path, serial="R-GD-1", seed=0):
    c = synthetic_content(states=300, start_ns=START, seed=seed)
    c.identity = {"robot_serial": serial}
    path = write_json_mcap(tmp_path / f"{serial}-{seed}.mcap", c)
    return {"file": (path.name, path.read_bytes(), "application/octet-stream")}


def settled(api, response, timeout: float = 60.0) -> dict:
    """An upload's outcome once its worker is done: it is answered 202 `received` at once."""
    body = response.json()
    assert response.status_code in (200, 202), response.text
    deadline = time.monotonic() + timeout
    while body.get("state") not in ("counted", "refused") and body.get("status") != "rejected":
        assert time.monotonic() < deadline, body
        time.sleep(0.05)
        body = api.get(f"/api/v1/recordings/{body['recording_id']}", headers=auth(api, "ministry")).json()
    return body


def _flag_id(api, tmp_path):
    """Plant a flagged recording (R-GD-2 re-sends R-GD-1's content) and return its flag id."""
    first = api.post(
        "/api/v1/recordings", files=_recording(tmp_path, "R-GD-1", 7), headers=auth(api, "device1")
    )
    assert first.json()["status"] == "received"
    assert settled(api, first)["state"] == "counted"
    copy = synthetic_content(states=300, start_ns=START, seed=7)
    copy.identity = {"robot_serial": "R-GD-2"}
    path = write_json_mcap(tmp_path / "copy.mcap", copy)
    files = {"file": (path.name, path.read_bytes(), "application/octet-stream")}
    assert (
        settled(api, api.post("/api/v1/recordings", files=files, headers=auth(api, "device2")))["state"]
        == "counted"
    )
    return api.get("/api/v1/flags", headers=auth(api, "ministry")).json()["rows"][0]["id"]


# Who may do each write (on CN-GD's data and robot R-GD-1); every other role gets 403.
# (tests/test_access_writes.py runs the full matrix: every sheet, route and form.)
MATRIX = {
    "import CN-GD nominations": {"gd", "ministry"},
    "submit CN-GD's report": {"gd", "ministry"},
    "upload R-GD-1's recording": {"cons", "device1", "ministry"},
    "clear a flag": {"ministry"},
}


def _write(api, tmp_path, action, who):
    h = auth(api, who)
    if action.startswith("import"):
        doc = {
            "scenarios": [
                edited(province_program(), "scenarios", 0, title="Night shift picking")["scenarios"][0]
            ]
        }
        return api.post("/api/v1/imports", files=_workbook(tmp_path, doc), headers=h)
    if action.startswith("submit"):
        return api.post(
            "/api/v1/organizations/CN-GD/submissions",
            headers=h,
            json={"kind": "progress_report", "submitted_on": "2026-11-20", "document": "r.pdf"},
        )
    if action.startswith("upload"):
        return api.post("/api/v1/recordings", files=_recording(tmp_path), headers=h)
    return api.post(f"/api/v1/flags/{api.flag_id}/clear", json={"reason": "checked on site"}, headers=h)


ROLES = ["ministry", "gd", "zj", "sgcc", "cons", "other", "device1", "device2"]


@pytest.mark.parametrize("action", list(MATRIX))
def test_authorization_matrix(api, tmp_path, action):
    api.flag_id = _flag_id(api, tmp_path) if action == "clear a flag" else None
    for who in ROLES:
        if who in MATRIX[action]:
            continue
        before = snapshot(api.engine)
        response = _write(api, tmp_path, action, who)
        assert response.status_code == 403, (action, who, response.status_code, response.text)
        assert snapshot(api.engine) == before, (action, who)
    for who in sorted(MATRIX[action]):
        response = _write(api, tmp_path, action, who)
        accepted = (200, 202) if action.startswith("upload") else (200,)
        assert response.status_code in accepted, (action, who, response.text)


def test_upload_checks_are_the_cli_checks(api, tmp_path):
    bad = {"file": ("junk.mcap", b"not an mcap file", "application/octet-stream")}
    out = api.post("/api/v1/recordings", files=bad, headers=auth(api, "device1")).json()
    assert out["status"] == "rejected" and out["error"].startswith("junk.mcap: ")
    posted = api.post("/api/v1/recordings", files=_recording(tmp_path), headers=auth(api, "cons"))
    first = posted.json()
    assert (posted.status_code, first["status"], first["state"]) == (202, "received", "received")
    assert settled(api, posted)["state"] == "counted"
    again = api.post("/api/v1/recordings", files=_recording(tmp_path), headers=auth(api, "device1")).json()
    assert (again["status"], again["recording_id"]) == ("duplicate", first["recording_id"])
    detail = api.get(f"/api/v1/recordings/{first['recording_id']}", headers=auth(api, "gd")).json()
    assert detail["robot_serial"] == "R-GD-1" and detail["flags"] == []


def test_import_reports_bad_rows_all_or_nothing(api, tmp_path):
    doc = edited(province_program(), "scenarios", 3, domain="farming")
    doc = {"scenarios": doc["scenarios"]}
    before = snapshot(api.engine)
    out = api.post("/api/v1/imports", files=_workbook(tmp_path, doc), headers=auth(api, "gd")).json()
    assert out["ok"] is False and out["written"] is False
    assert out["problems"][0]["row"] == 4 and out["problems"][0]["column"] == "domain"
    assert snapshot(api.engine) == before


def test_a_device_cannot_relabel_another_robots_recording(api, tmp_path):
    files = _recording(tmp_path, "R-GD-1")
    for form in ({}, {"robot": "R-GD-2"}):
        response = api.post("/api/v1/recordings", files=files, data=form, headers=auth(api, "device2"))
        assert response.status_code == 403, form
    assert api.get("/api/v1/recordings", headers=auth(api, "ministry")).json()["rows"] == []


def test_device_tokens_only_upload(api):
    assert api.get("/api/v1/compliance", headers=auth(api, "device1")).status_code == 403


def test_browser_session_needs_csrf_on_writes(api, tmp_path):
    flag_id = _flag_id(api, tmp_path)
    cookie, session = api.app.state.services.sessions.issue("ministry")
    api.cookies.set(COOKIE, cookie)
    assert api.get("/api/v1/me").json()["name"] == "ministry"
    url = f"/api/v1/flags/{flag_id}/clear"
    assert api.post(url, json={"reason": "ok"}).status_code == 403
    assert api.post(url, json={"reason": "ok"}, headers={"X-CSRF-Token": "forged"}).status_code == 403
    response = api.post(url, json={"reason": "ok"}, headers={"X-CSRF-Token": session.csrf})
    assert response.status_code == 200 and response.json()["cleared_by"] == "ministry"
    api.cookies.set(COOKIE, cookie[:-2] + "xx")
    assert api.get("/api/v1/me").status_code == 401
