"""The write matrix (issue 14): every role x every template sheet, write route and form x own
and other organization's rows. Refused writes change nothing; allowed ones are written.
Runs on SQLite and PostgreSQL."""

import json

import pytest
from access_world import ROLE_OF, WHO, auth, world
from recordings import synthetic_content, write_json_mcap
from test_api import START
from test_import import snapshot

from robotwork.access import WRITES, Reach

# One changing row per sheet, about province `p` ("GD" or "BJ"): each writes a record of p's.
ROWS = {
    "organizations": lambda p: {"code": f"U-{p}", "name": "Renamed", "kind": "user", "province": f"CN-{p}"},
    "sites": lambda p: {
        "site_id": f"S-{p}-1",
        "name": "Renamed hall",
        "province": f"CN-{p}",
        "city": "Shenzhen" if p == "GD" else "Beijing",
        "user_org": f"U-{p}",
    },
    "scenarios": lambda p: {
        "scenario_id": f"SC-{p}-001",
        "title": "Renamed",
        "domain": "service",
        "nominated_by": f"CN-{p}",
        "site_id": f"S-{p}-1",
        "user_org": f"U-{p}",
        "tasks": ["pick tote"],
        "nominated_on": "2026-07-01",
    },
    "consortia": lambda p: {"consortium_id": f"C-{p}", "name": "Renamed", "scenario_ids": [f"SC-{p}-000"]},
    "consortium_members": lambda p: {"consortium_id": f"C-{p}", "org_code": f"I-{p}", "role": "user"},
    "robots": lambda p: {
        "serial": f"R-{p}-1",
        "model": "H1",
        "manufacturer": "M-UNITREE",
        "built_on": "2025-12-31",
    },
    "deployments": lambda p: {
        "robot_serial": f"R-{p}-1",
        "scenario_id": f"SC-{p}-000",
        "site_id": f"S-{p}-1",
        "start_date": "2026-08-01",
        "end_date": "2026-12-31",
    },
    "submissions": lambda p: {"org_code": f"CN-{p}", "kind": "progress_report", "submitted_on": "2026-11-20"},
}
# Who may write p's rows: the ministry and p's own officer (the issue's rule, independent of the table).
IMPORTERS = {"GD": {"ministry", "gd"}, "BJ": {"ministry", "bj"}}


@pytest.fixture
def api(tmp_path, db_url, policy):
    client = world(tmp_path, db_url, policy)
    yield client
    client.engine.dispose()


def _import(api, who, doc, name="nominations.json"):
    files = {"file": (name, json.dumps(doc).encode(), "application/json")}
    return api.post("/api/v1/imports", files=files, headers=auth(api, who))


def test_the_table_says_what_the_issue_says():
    """The rule set's own table agrees with the issue's words (and so docs/web.md does)."""
    rules = {r.action: r.reach for r in WRITES}
    for sheet in ROWS:
        assert {r for r, reach in rules[f"import.{sheet}"].items() if reach is not Reach.NONE} == {
            "ministry",
            "province",
            "central_soe",
        }
    assert rules["flag.clear"]["ministry"] is Reach.ALL and rules["flag.clear"]["province"] is Reach.NONE
    assert rules["recording.upload"]["consortium"] is Reach.OWN


@pytest.mark.parametrize("province", ["GD", "BJ"])
@pytest.mark.parametrize("sheet", list(ROWS))
def test_every_sheet_through_import(api, sheet, province):
    doc = {sheet: [ROWS[sheet](province)]}
    allowed = IMPORTERS[province]
    for who in WHO:
        if who in allowed:
            continue
        before = snapshot(api.engine)
        answer = _import(api, who, doc)
        assert answer.status_code == 403, (sheet, province, who, answer.text)
        if ROLE_OF[who] in ("province", "central_soe"):  # an importer: the row is named, with its owner
            forbidden = answer.json()["forbidden"]
            assert [(f["sheet"], f["row"]) for f in forbidden] == [(sheet, 1)], forbidden
            assert f"CN-{province}" in forbidden[0]["message"] or "not" in forbidden[0]["message"]
        assert snapshot(api.engine) == before, (sheet, who)
    before = snapshot(api.engine)
    for who in sorted(allowed):
        answer = _import(api, who, doc)
        assert answer.status_code == 200 and answer.json()["ok"], (sheet, who, answer.text)
    assert snapshot(api.engine)[sheet] != before[sheet]  # sheets are named after their tables


@pytest.mark.parametrize("province", ["GD", "BJ"])
def test_submission_route(api, province):
    body = {"kind": "progress_report", "submitted_on": "2026-11-20", "document": "r.pdf"}
    for who in WHO:
        before = snapshot(api.engine)
        answer = api.post(
            f"/api/v1/organizations/CN-{province}/submissions", json=body, headers=auth(api, who)
        )
        if who in IMPORTERS[province]:
            assert answer.status_code == 200, (who, answer.text)
        else:
            assert answer.status_code == 403, (who, answer.text)
            assert snapshot(api.engine) == before


@pytest.mark.parametrize("serial", ["R-GD-1", "R-BJ-1"])
def test_recording_upload_route(api, tmp_path, serial):
    allowed = {"ministry", "cons", "device"} if serial == "R-GD-1" else {"ministry"}
    content = synthetic_content(states=200, start_ns=START, seed=3)
    content.identity = {"robot_serial": serial}
    path = write_json_mcap(tmp_path / f"{serial}.mcap", content)
    for who in WHO:
        files = {"file": (path.name, path.read_bytes(), "application/octet-stream")}
        before = snapshot(api.engine)
        answer = api.post("/api/v1/recordings", files=files, headers=auth(api, who))
        if who in allowed:
            assert answer.status_code in (200, 202), (who, answer.text)
        else:
            assert answer.status_code == 403, (who, answer.text)
            assert snapshot(api.engine) == before


def test_page_form_import_is_the_same_rule(api, tmp_path):
    """The upload page's workbook form: GD's officer writes GD's row, not BJ's (nothing changed)."""
    from access_world import PASSWORD

    api.post("/login", data={"username": "gd", "password": PASSWORD}, follow_redirects=False)
    csrf = api.app.state.services.sessions.read(api.cookies["robotwork_session"]).csrf
    for province, status in (("BJ", 403), ("GD", 200)):
        doc = {"scenarios": [ROWS["scenarios"](province)]}
        before = snapshot(api.engine)
        files = {"file": ("mine.json", json.dumps(doc).encode(), "application/json")}
        answer = api.post("/upload/workbook", data={"csrf_token": csrf}, files=files)
        assert answer.status_code == status, (province, answer.text[-500:])
        assert (snapshot(api.engine) == before) == (status == 403)


def test_escalation_chain_fails_at_its_first_step(api, tmp_path):
    """The issue's chain: GD's officer adds a Beijing scenario to a GD consortium, then a member of
    that consortium uploads for a Beijing robot. The first step is refused, so the last one is."""
    chain = {
        "consortia": [
            {"consortium_id": "C-GD", "name": "GD consortium", "scenario_ids": ["SC-GD-000", "SC-BJ-000"]}
        ]
    }
    before = snapshot(api.engine)
    answer = _import(api, "gd", chain)
    assert answer.status_code == 403 and answer.json()["forbidden"][0]["column"] == "scenario_ids"
    assert "CN-BJ" in answer.json()["forbidden"][0]["message"]
    assert snapshot(api.engine) == before
    content = synthetic_content(states=200, start_ns=START, seed=5)
    content.identity = {"robot_serial": "R-BJ-1"}
    path = write_json_mcap(tmp_path / "bj.mcap", content)
    files = {"file": (path.name, path.read_bytes(), "application/octet-stream")}
    assert api.post("/api/v1/recordings", files=files, headers=auth(api, "cons")).status_code == 403
    # the other steps the issue saw, each refused on its own, by GD's officer and SGCC's
    for who, doc in (
        ("gd", {"organizations": [ROWS["organizations"]("BJ")]}),
        ("gd", {"consortium_members": [{"consortium_id": "C-BJ", "org_code": "U-GD", "role": "user"}]}),
        ("gd", {"consortia": [dict(ROWS["consortia"]("BJ"), scenario_ids=["SC-BJ-001"])]}),
        ("gd", {"robots": [ROWS["robots"]("BJ")]}),
        ("soe", {"sites": [dict(ROWS["sites"]("BJ"))]}),
    ):
        assert _import(api, who, doc).status_code == 403, (who, doc)
    assert snapshot(api.engine) == before


def test_mixed_workbook_refused_whole_every_foreign_row_named(api):
    doc = {
        "scenarios": [ROWS["scenarios"]("GD"), ROWS["scenarios"]("BJ")],
        "robots": [ROWS["robots"]("BJ")],
        "submissions": [ROWS["submissions"]("GD")],
    }
    before = snapshot(api.engine)
    answer = _import(api, "gd", doc)
    assert answer.status_code == 403
    named = {(f["sheet"], f["row"], f["column"]) for f in answer.json()["forbidden"]}
    assert named == {("scenarios", 2, "nominated_by"), ("robots", 1, "serial")}
    assert all("CN-BJ" in f["message"] for f in answer.json()["forbidden"])
    assert snapshot(api.engine) == before  # GD's own rows of the same workbook are not written either
