"""The audit trail of unsafe requests (web/audit_trail.py): every POST its handler did not record
is recorded, refused ones included, with who, the route and the status, before the client has
its answer; a GET is never recorded."""

from pathlib import Path

import pytest
from access_world import auth, world

from robotwork.registry.audit import list_events


@pytest.fixture
def api(tmp_path: Path, db_url, policy):
    client = world(tmp_path, db_url, policy)
    yield client
    client.engine.dispose()


def _requests(api) -> list[tuple[str, str, str]]:
    return [(e["actor"], e["action"], e["outcome"]) for e in list_events(api.engine) if " /" in e["action"]]


def test_unsafe_requests_are_recorded_and_safe_ones_are_not(api) -> None:
    assert api.get("/api/v1/metrics/national", headers=auth(api, "ministry")).status_code == 200
    assert api.post("/api/v1/flags/999999/clear", json={"reason": "x"}).status_code == 401
    refused = api.post("/api/v1/recordings", headers=auth(api, "ministry"))
    assert refused.status_code >= 400

    events = _requests(api)
    assert ("(anonymous)", "POST /api/v1/flags/999999/clear", "401") in events
    assert ("ministry", "POST /api/v1/recordings", str(refused.status_code)) in events
    assert not [e for e in events if e[1].startswith("GET ")]
