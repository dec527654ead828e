"""Lenses on one app per module: where each role lands after login, the lens switcher, the
consortium page and the harvest (each cut to the reader's scope)."""

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from program_app import PASSWORD, app, signed_in
from sqlalchemy import JSON, Column, Integer, MetaData, Table, create_engine, select

from robotwork.accounts import add_user
from robotwork.errors import RobotworkError
from robotwork.forecast import program_forecast
from robotwork.read.harvest import dominant_mode, dominant_mode_sql

__all__ = ["app"]  # the module's program, a fixture


@pytest.mark.parametrize(
    ("user", "home"),
    [
        ("min", "/"),
        ("gd", "/org/CN-GD"),
        ("bj", "/org/CN-BJ"),
        ("cgd", "/consortium/C-GD"),
        ("agd", "/harvest"),
    ],
)
def test_each_role_lands_on_its_own_lens(app, user, home):
    client = signed_in(app, user)
    assert client.landed == home
    page = client.get(home)
    assert page.status_code == 200
    assert 'href="/lens/harvest"' in page.text and 'href="/lens/national"' in page.text


def test_a_page_asked_for_wins_over_the_lens(app):
    client = TestClient(app)
    form = {"username": "gd", "password": PASSWORD, "next": "/robots"}
    assert client.post("/login", data=form, follow_redirects=False).headers["location"] == "/robots"


def test_a_chosen_lens_is_where_the_next_login_lands(app):
    client = signed_in(app, "cgd")
    answer = client.get("/lens/harvest", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/harvest"
    assert client.get("/lens/org", follow_redirects=False).status_code == 404  # not a consortium's lens
    client.post("/logout", data={"csrf_token": _csrf(client)})
    answer = client.post("/login", data={"username": "cgd", "password": PASSWORD}, follow_redirects=False)
    assert answer.headers["location"] == "/harvest"


def _csrf(client: TestClient) -> str:
    from robotwork.web.session import COOKIE

    return client.app.state.services.sessions.read(client.cookies[COOKIE]).csrf


def test_consortium_page_shows_its_scenarios_robots_uploads_within_scope(app):
    own = signed_in(app, "cgd").get("/consortium/C-GD?lang=en").text
    assert "SC-GD-000" in own and 'href="/robot/R-GD-1"' in own
    assert "What would move each scenario up a rung" in own and "Latest uploads" in own
    other = signed_in(app, "cbj").get("/consortium/C-GD?lang=en").text
    assert "SC-GD-000" in other  # figures are public
    assert 'href="/robot/R-GD-1"' not in other  # its robots and uploads are not
    assert signed_in(app, "min").get("/consortium/C-NONE").status_code == 404
    assert 'href="/consortium/C-GD"' in signed_in(app, "gd").get("/org/CN-GD").text


def test_harvest_counts_episodes_in_scope_and_filters(app):
    mine = signed_in(app, "cgd")
    page = mine.get("/harvest?lang=en").text
    episodes = _count(page)
    assert episodes > 0 and "pick tote" in page and "H1" in page
    successes = mine.get("/harvest?outcome=success").text
    assert _count(successes) == episodes and "--outcome success" in successes  # every task succeeds
    assert _count(mine.get("/harvest?outcome=failure").text) == 0
    theirs = signed_in(app, "cbj").get("/harvest").text
    assert _count(theirs) == 0


def test_an_algorithm_team_reads_the_data_of_the_consortia_it_is_a_member_of(app):
    team = signed_in(app, "agd")
    page = team.get("/harvest?lang=en").text
    assert "Algorithm team" in page and 'data-lens="harvest"' in page and 'data-lens="national"' in page
    assert "A-GD" in page and 'href="/org/A-GD"' not in page  # its organization has no page of its own
    assert _count(page) == _count(signed_in(app, "cgd").get("/harvest").text) > 0  # A-GD is in C-GD
    assert team.get("/robot/R-GD-1").status_code == 200
    assert 'href="/robot/R-BJ-1"' not in team.get("/robots").text  # C-BJ's robot: not in its scope
    assert 'href="/robot/R-GD-1"' in team.get("/robots").text
    assert team.get("/audit").status_code in (403, 404)
    assert team.get("/lens/org", follow_redirects=False).status_code == 404  # no organization lens


def test_every_page_of_the_navigation_opens_for_an_algorithm_team(app):
    team = signed_in(app, "agd")
    for url in (
        "/",
        "/scenarios",
        "/robots",
        "/graph",
        "/datasets",
        "/integrity",
        "/live",
        "/upload",
        "/facts",
    ):
        assert team.get(url).status_code == 200, url
    assert team.get("/org/CN-GD").status_code == 200 and team.get("/consortium/C-GD").status_code == 200


def test_an_algorithm_team_account_needs_an_algorithm_team(app):
    engine = app.state.services.engine
    with pytest.raises(RobotworkError, match="algorithm_team"):
        add_user(engine, "wrong-team", PASSWORD, "algorithm_team", org="CN-GD")
    with pytest.raises(RobotworkError, match="algorithm_team"):
        add_user(engine, "no-team", PASSWORD, "algorithm_team")


def _count(page: str) -> int:
    return int(page.split('id="harvest-episodes">')[1].split("<")[0])


def test_dominant_mode_is_the_mode_with_most_time():
    assert dominant_mode({"autonomous": 10.0, "teleoperated": 30.0, "idle": 100.0}) == "teleoperated"
    assert dominant_mode({}) is None and dominant_mode(None) is None


def test_forecast_panel_beside_the_target_on_national_and_organization_pages(app):
    client = signed_in(app, "gd")
    for url in ("/?lang=en", "/org/CN-GD?lang=en"):
        page = client.get(url).text
        assert 'id="forecast"' in page and "Forecast to 2026-12-31" in page, url
        assert 'data-measure="robots_in_routine_operation"' in page and "least-squares" in page, url


def test_after_the_target_date_the_forecast_reads_met_or_missed_by(app, policy):
    services = app.state.services
    after = program_forecast(services.engine, policy, policy.targets["date"] + timedelta(days=3))
    [robots, high_value] = after["national"]
    assert robots["status"] == "missed" and robots["missed_by"] == robots["target"] - robots["at_target_date"]
    assert high_value["status"] in ("met", "missed") and after["week_ends"] == ["2026-12-31"]
    assert "missed by" in signed_in(app, "min").get("/?lang=en&as_of=2027-01-04").text
    before = program_forecast(services.engine, policy, date(2026, 11, 20))
    [robots, _] = before["orgs"]["CN-GD"]
    assert robots["status"] == "forecast" and robots["target"] == 60  # 20 scenarios x 3 declared
    assert robots["projection"]["points"] == len(before["week_ends"]) == 8


@pytest.mark.parametrize("org", ["national", "CN-GD"])
def test_progress_reports_carry_the_forecast(app, org):
    client = signed_in(app, "min")
    answer = client.get(f"/api/v1/reports/progress/{org}?lang=en&format=html")
    assert answer.status_code == 200
    assert "Forecast to 2026-12-31" in answer.text and "least-squares straight line" in answer.text


MODE_CASES = [
    {"autonomous": 10.0, "teleoperated": 30.0, "idle": 100.0},
    {"autonomous": 20.0, "scripted": 20.0},  # a tie: the first in alphabetical order
    {"teleoperated": 5.0, "scripted": 0.0},
    {"idle": 50.0},
    {"autonomous": 0.0},
    {},
    {"scripted": 1.5, "teleoperated": 1.25, "autonomous": 1.0},
]


def test_the_dominant_mode_in_sql_is_the_one_in_python(db_url):
    engine = create_engine(db_url)
    table = Table("modes", MetaData(), Column("id", Integer, primary_key=True), Column("seconds", JSON))
    table.create(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": i, "seconds": doc} for i, doc in enumerate(MODE_CASES)])
        got = dict(conn.execute(select(table.c.id, dominant_mode_sql(table.c.seconds))).all())
    engine.dispose()
    assert got == {i: dominant_mode(doc) for i, doc in enumerate(MODE_CASES)}
    assert got[1] == "autonomous" and got[3] is None and got[6] == "scripted"


def test_the_harvest_api_reads_what_the_page_shows(app):
    team = signed_in(app, "agd")
    api = team.get("/api/v1/harvest?model=H1").json()
    page = team.get("/harvest?lang=en&model=H1").text
    assert api["episodes"] == _count(page) > 0 and api["export_options"] == ["--model H1"]
    assert sum(g["episodes"] for g in api["by"]["task"]) == api["episodes"]
    assert team.get("/harvest?model=H1", headers={"Accept": "application/json"}).json() == api  # the twin
    assert {g["value"] for g in api["by"]["model"]} == {"H1"} and api["robots_hidden"] == 0
    theirs = signed_in(app, "cbj").get("/api/v1/harvest").json()
    assert theirs["episodes"] == 0 and theirs["robots_hidden"] == 1  # R-GD-1's episodes are not C-BJ's
