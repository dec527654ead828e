"""schemathesis over every operation, authenticated as each role (issue 14): no 5xx whatever the
role, the parameters and the bodies, and every answer conforms to the schema the OpenAPI document
gives for its status (the response models of issue 12): refusals are {detail}, never an error.

The world has recordings (one flagged), datasets, a live robot with an alert and audit events, so
the documented shapes are checked on real rows, not only on empty lists: each operation is called
once with parameters that name real records, then with generated ones.
"""

import re
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from livesrv import serving
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy.orm import Session
from test_access_reads import _world

from robotwork.live.models import LiveAlert, LiveRobotRow

CHECKS = [not_a_server_error, response_schema_conformance]
# Path parameters naming the world's records, by name (`recording_id` is filled in by the fixture).
NAMED = {
    "resource": "robots",
    "key": "R-GD-1",
    "by": "robot",
    "code": "CN-GD",
    "org": "CN-GD",
    "scenario_id": "SC-GD-001",
    "serial": "R-GD-1",
    "dataset_id": "ds-r-gd-1",
    "consortium_id": "C-GD",
}
# More calls with real records, by operation path (path parameters, query).
MORE = {
    "/api/v1/registry/{resource}": [({"resource": "consortia"}, {})],
    "/api/v1/metrics/{by}": [({"by": "national"}, {})],
    "/api/v1/flags": [({}, {"include_cleared": "true"})],
    "/api/v1/datasets/{dataset_id}": [({"dataset_id": "ds-r-bj-1"}, {})],
}


@pytest.fixture(scope="module")
def live(tmp_path_factory, policy):
    """The two-province world with its evidence (SQLite), served, with a token per role."""
    client = next(_world(tmp_path_factory, policy, None))
    now = time.time_ns()
    with Session(client.engine) as session, session.begin():
        session.add(
            LiveRobotRow(
                robot_serial="R-GD-1",
                connection="ONLINE",
                control_mode="autonomous",
                task="picking",
                site_id="S-GD-1",
                battery=81.5,
                errors=[{"code": "E1", "level": "warning", "text": "gripper warm"}],
                last_seen_ns=now,
                fresh_ns=now,
                sent_ns=now,
                stale=False,
                status="working",
                status_since_ns=now - 10**12,
            )
        )
        session.add(
            LiveAlert(
                robot_serial="R-GD-1", kind="fault", since_ns=now, raised_ns=now, details={"errors": []}
            )
        )
    schema = schemathesis.openapi.from_dict(client.app.openapi())
    with serving(client.app) as url:
        yield {"url": url, "client": client, "schema": schema}
    client.engine.dispose()


def _known(live, path):
    """Calls naming the world's records for one operation (none when a parameter has no name)."""
    recordings = live["client"].recordings
    names = dict(NAMED, recording_id=recordings["R-GD-1"])
    wanted = re.findall(r"{(\w+)}", path)
    calls = [({n: names[n] for n in wanted}, {})] if all(n in names for n in wanted) else []
    if path == "/api/v1/recordings/{recording_id}":
        calls += [({"recording_id": r}, {}) for r in recordings.values()]
    return calls + MORE.get(path, [])


@pytest.mark.parametrize("who", ["ministry", "gd", "bj", "soe", "cons", "team", "device"])
def test_every_operation_as_each_role_conforms(live, who):
    operations = [result.ok() for result in live["schema"].get_all_operations()]
    assert len(operations) >= 19
    headers = {"Authorization": f"Bearer {live['client'].tokens[who]}"}
    statuses = {}
    for operation in operations:
        for path_parameters, query in _known(live, operation.path) if operation.method == "get" else []:
            case = operation.Case(path_parameters=path_parameters or None, query=query or None)
            answer = case.call_and_validate(base_url=live["url"], headers=headers, checks=CHECKS)
            statuses[(operation.path, str(path_parameters))] = answer.status_code

        @given(case=operation.as_strategy())
        @settings(max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(base_url=live["url"], headers=headers, checks=CHECKS)

        check()
    # The real records were read (and their shapes checked) where the role may read them.
    gd_recording = str({"recording_id": live["client"].recordings["R-GD-1"]})
    assert statuses[("/api/v1/recordings/{recording_id}", gd_recording)] == (
        404 if who in ("bj", "soe") else 200
    )
    assert statuses[("/api/v1/live/{serial}", str({"serial": "R-GD-1"}))] == (
        200 if who in ("ministry", "gd", "cons", "team") else 403 if who == "device" else 404
    )
    assert statuses[("/api/v1/audit", "{}")] == (200 if who == "ministry" else 403)
