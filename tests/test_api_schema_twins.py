"""One read model per evidence page (issue 12): the page, its JSON twin (``Accept:
application/json`` or ``format=json``) and the `/api/v1` route answer the same document, take the
same filters and list parameters, and read within the same scope; a recording and a flag have one
shape wherever they are shown."""

from datetime import UTC, datetime

from program_app import app, signed_in
from sqlalchemy.orm import Session

from robotwork.accounts import create_token
from robotwork.registry.models import Flag

__all__ = ["app"]  # the module's program, a fixture
JSON = {"Accept": "application/json"}


def _bearer(app, username):
    return {"Authorization": f"Bearer {create_token(app.state.services.engine, username=username)}"}


def test_robot_page_its_twin_and_the_api_answer_one_model(app):
    client = signed_in(app, "gd")
    twin = client.get("/robot/R-GD-1", headers=JSON)
    assert twin.status_code == 200 and twin.headers["content-type"].startswith("application/json")
    api = client.get("/api/v1/robots/R-GD-1", headers=_bearer(app, "gd"))
    assert api.status_code == 200 and twin.json() == api.json()
    robot = twin.json()
    assert robot["robot"]["serial"] == "R-GD-1" and robot["robot"]["manufacturer"]["code"]
    worked = [d for d in robot["timeline"] if d["autonomous_hours"] + d["teleoperated_hours"] > 0]
    assert len(worked) == 3  # the three work days of the recording, from the timeline query
    assert [r["robot_serial"] for r in robot["recordings"]] == ["R-GD-1"]
    assert "R-GD-1" in client.get("/robot/R-GD-1").text  # the HTML page renders the same model
    # Out of the reader's scope the robot reads as unknown: page, twin and API alike.
    other = signed_in(app, "bj")
    assert other.get("/robot/R-GD-1").status_code == 404
    assert other.get("/robot/R-GD-1", headers=JSON).status_code == 404
    assert other.get("/api/v1/robots/R-GD-1", headers=_bearer(app, "bj")).status_code == 404


def test_lists_answer_the_same_parameters_on_the_page_twin_and_api(app):
    client, token = signed_in(app, "gd"), _bearer(app, "gd")
    for query in ("/robots?q=R-GD&sort=-operating_hours", "/scenarios?org=CN-GD&q=line+1&per_page=5&page=2"):
        twin = client.get(query, headers=JSON).json()
        assert client.get(query + "&format=json").json() == twin
        assert client.get("/api/v1" + query, headers=token).json() == twin
    scenarios = client.get("/api/v1/scenarios?org=CN-GD&q=line+1&per_page=5&page=2", headers=token).json()
    assert scenarios["matched"] == 11 and scenarios["list"]["page"] == 2 and len(scenarios["rows"]) == 5
    assert scenarios["filters"]["org"] == "CN-GD"
    hidden = signed_in(app, "bj").get("/robots?q=R-GD", headers=JSON).json()
    assert hidden["rows"] == [] and hidden["rows_hidden"] >= 1  # counted, not listed
    assert client.get("/api/v1/robots?sort=password", headers=token).status_code == 422
    assert client.get("/robots?sort=password").status_code == 400


def test_a_recording_and_a_flag_have_one_shape_everywhere(app):
    client, token = signed_in(app, "min"), _bearer(app, "min")
    listed = client.get("/recordings?robot=R-GD-1", headers=JSON).json()["rows"]
    on_robot = client.get("/robot/R-GD-1", headers=JSON).json()["recordings"]
    api = client.get("/api/v1/recordings?robot=R-GD-1", headers=token).json()["rows"]
    assert listed == on_robot == api and len(api) == 1
    recording_id = api[0]["recording_id"]
    detail = client.get(f"/api/v1/recordings/{recording_id}", headers=token).json()
    assert detail == api[0]
    with Session(app.state.services.engine) as session, session.begin():  # one open, one cleared
        now = datetime.now(UTC)
        session.add(Flag(recording_id=recording_id, rule="replay", evidence={"of": "x"}, flagged_at=now))
        session.add(
            Flag(
                recording_id=recording_id,
                rule="static_joints",
                evidence={},
                flagged_at=now,
                cleared_at=now,
                cleared_by="min",
                clear_reason="checked on site",
            )
        )
    keys = {"recording_id", "robot_serial", "start", "end", "start_ns", "messages", "size_bytes", "flags"}
    assert keys <= set(detail) and detail["state"] == "counted"
    flags = client.get("/api/v1/flags?include_cleared=true", headers=token).json()["rows"]
    review = client.get("/integrity", headers=JSON).json()
    assert len(flags) == 2 and [f["cleared"] for f in review["open"] + review["cleared"]] == [False, True]
    for flag in review["open"] + review["cleared"]:
        assert {k: v for k, v in flag.items() if k != "recording"} in flags
        assert flag["recording"]["recording_id"] == recording_id
    on_recording = client.get(f"/api/v1/recordings/{recording_id}", headers=token).json()["flags"]
    assert sorted(on_recording, key=lambda f: f["id"]) == sorted(flags, key=lambda f: f["id"])
