"""The read matrix (issue 14): figures are everyone's; robots, recordings, flags and datasets
only within the reader's robots; a device token reads nothing but its own upload results.
Every list, detail, report and API route, and the pages, on SQLite and PostgreSQL."""

import time
import uuid
from datetime import UTC, datetime

import pytest
from access_world import PASSWORD, WHO, auth, world
from conftest import PG_URL, skip_or_fail
from recordings import synthetic_content, write_json_mcap
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from test_api import START

from robotwork.registry.models import Dataset

# The robots each reader sees (R-GD-1 is deployed on CN-GD's scenario of consortium C-GD).
ROBOTS_SEEN = {
    "ministry": {"R-GD-1", "R-BJ-1"},
    "gd": {"R-GD-1"},
    "bj": {"R-BJ-1"},
    "soe": set(),
    "cons": {"R-GD-1"},
    "team": {"R-GD-1"},
    "device": {"R-GD-1"},
}
FIGURES = [
    "/api/v1/compliance",
    "/api/v1/compliance?org=CN-BJ",
    "/api/v1/metrics/national",
    "/api/v1/metrics/province",
    "/api/v1/metrics/scenario",
    "/api/v1/registry/scenarios",
    "/api/v1/registry/scenarios/SC-BJ-001",
    "/api/v1/registry/organizations",
    "/api/v1/registry/sites/S-BJ-1",
    "/api/v1/registry/consortia",
    "/api/v1/reports/progress/CN-BJ?format=html&lang=en",
]


def _upload(api, tmp_path, serial, seed):
    content = synthetic_content(states=200, start_ns=START, seed=seed)
    content.identity = {"robot_serial": serial}
    path = write_json_mcap(tmp_path / f"{serial}-{seed}.mcap", content)
    files = {"file": (path.name, path.read_bytes(), "application/octet-stream")}
    answer = api.post("/api/v1/recordings", files=files, headers=auth(api, "ministry"))
    assert answer.status_code in (200, 202), answer.text
    recording_id = answer.json()["recording_id"]
    deadline = time.monotonic() + 60
    while "messages" not in (
        got := api.get(f"/api/v1/recordings/{recording_id}", headers=auth(api, "ministry")).json()
    ):
        assert time.monotonic() < deadline, got
        time.sleep(0.05)
    return recording_id


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(request, tmp_path_factory, policy):
    """One world per database kind for all read checks (reads change nothing)."""
    if request.param == "sqlite":
        yield from _world(tmp_path_factory, policy, None)
        return
    admin = create_engine(PG_URL)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        skip_or_fail(f"PostgreSQL at {PG_URL} not reachable ({exc.orig})")
    yield from _world(tmp_path_factory, policy, f"{PG_URL}?options=-csearch_path%3D{schema}")
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _world(tmp_path_factory, policy, db_url):
    tmp_path = tmp_path_factory.mktemp("reads")
    client = world(tmp_path, db_url, policy)
    client.recordings = {s: _upload(client, tmp_path, s, seed) for s, seed in (("R-GD-1", 1), ("R-BJ-1", 2))}
    # the same content again from the other robot: an integrity flag on a BJ or GD recording
    client.recordings["copy"] = _upload(client, tmp_path, "R-BJ-1", 1)
    with Session(client.engine) as session, session.begin():
        for serial in ("R-GD-1", "R-BJ-1"):
            session.add(
                Dataset(
                    dataset_id=f"ds-{serial.lower()}",
                    name=f"{serial} picks",
                    path="/nowhere",
                    fps=30,
                    filters={},
                    robot_model="H1",
                    episodes=1,
                    frames=10,
                    recording_ids=[client.recordings[serial]],
                    scenario_ids=[],
                    manifest={},
                    created_at=datetime.now(UTC),
                    created_by="test",
                )
            )
    yield client
    client.engine.dispose()


def _get(api, who, url):
    return api.get(url, headers=auth(api, who))


@pytest.mark.parametrize("who", WHO)
def test_figures_are_everyones_but_a_devices(api, who):
    for url in FIGURES:
        answer = _get(api, who, url)
        assert answer.status_code == (403 if who == "device" else 200), (who, url, answer.text[:200])


@pytest.mark.parametrize("who", WHO)
def test_raw_evidence_only_within_the_readers_robots(api, who):
    seen = ROBOTS_SEEN[who]
    recordings = _get(api, who, "/api/v1/recordings")
    assert recordings.status_code == 200
    assert {r["robot_serial"] for r in recordings.json()["rows"]} == seen
    for serial in ("R-GD-1", "R-BJ-1"):
        detail = _get(api, who, f"/api/v1/recordings/{api.recordings[serial]}")
        assert detail.status_code == (200 if serial in seen else 404), (who, serial)
    if who == "device":  # nothing else at all
        for url in ("/api/v1/registry/robots", "/api/v1/metrics/robot", "/api/v1/flags", "/api/v1/datasets"):
            assert _get(api, who, url).status_code == 403, url
        return
    robots = _get(api, who, "/api/v1/registry/robots").json()["rows"]
    assert {r["serial"] for r in robots} == seen
    deployments = _get(api, who, "/api/v1/registry/deployments").json()["rows"]
    assert {d["robot_serial"] for d in deployments} == seen
    for serial in ("R-GD-1", "R-BJ-1"):
        assert _get(api, who, f"/api/v1/registry/robots/{serial}").status_code == (
            200 if serial in seen else 404
        )
    by_robot = _get(api, who, "/api/v1/metrics/robot").json()["rows"]
    assert {r["robot_serial"] for r in by_robot} <= seen
    flags = _get(api, who, "/api/v1/flags?include_cleared=true").json()["rows"]
    assert {f["robot_serial"] for f in flags} <= seen
    if who == "ministry":
        assert flags, "the copied recording was flagged"
    datasets = {d["dataset_id"] for d in _get(api, who, "/api/v1/datasets").json()["rows"]}
    assert datasets == {f"ds-{s.lower()}" for s in seen}
    assert _get(api, who, "/api/v1/datasets/ds-r-bj-1").status_code == (200 if "R-BJ-1" in seen else 404)
    assert _get(api, who, "/api/v1/audit").status_code == (200 if who == "ministry" else 403)


@pytest.mark.parametrize("who", ["gd", "cons", "team", "soe", "ministry"])
def test_pages_apply_the_same_scope(api, who):
    api.cookies.clear()
    api.post("/login", data={"username": who, "password": PASSWORD}, follow_redirects=False)
    seen = ROBOTS_SEEN[who]
    for serial in ("R-GD-1", "R-BJ-1"):
        assert api.get(f"/robot/{serial}").status_code == (200 if serial in seen else 404), (who, serial)
    robots = api.get("/robots").text
    for serial in ("R-GD-1", "R-BJ-1"):
        assert (f"/robot/{serial}" in robots) == (serial in seen), (who, serial)
    graph = api.get("/graph?org=CN-BJ").text
    assert ("robot:R-BJ-1" in graph) == ("R-BJ-1" in seen)
    datasets = api.get("/datasets").text
    assert ("ds-r-bj-1"[:12] in datasets) == ("R-BJ-1" in seen)
    assert api.get("/integrity").status_code == 200
    assert ("R-BJ-1" in api.get("/integrity").text) == ("R-BJ-1" in seen)
    assert api.get("/audit").status_code == (200 if who == "ministry" else 403)
    api.cookies.clear()
