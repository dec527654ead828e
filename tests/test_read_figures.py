"""The figures the report, the page, its JSON twin, the API and the CLI share: each tested once
against the read model (`robotwork.read`), then each output shown to carry that same value."""

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from recordings import write_json_mcap
from registry_docs import gd_fleet, province_program, write_json
from typer.testing import CliRunner, Result
from workdays import days_back, workdays

from robotwork.access import ReadScope
from robotwork.accounts import Principal, add_user
from robotwork.cli.app import app
from robotwork.evidence.ladder import RoutineRobot, stand
from robotwork.evidence.shortfall import Shortfall, describe
from robotwork.locale import t
from robotwork.read.consortium import consortia
from robotwork.read.national import national
from robotwork.read.organization import organization
from robotwork.read.progress import gather_progress
from robotwork.read.scenario import scenario
from robotwork.registry.db import open_registry, sqlite_url
from robotwork.registry.importer import import_file
from robotwork.reports.render import progress_html
from robotwork.web.app import create_app
from robotwork.web.session import COOKIE
from robotwork.web.settings import Settings

PASSWORD = "password1"
JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def client(tmp_path: Path, policy) -> TestClient:
    """An app on SQLite with two provinces, logged in as the ministry."""
    app = create_app(Settings(home=tmp_path, secret_key="test", secure_cookies=False))
    engine = app.state.services.engine
    for province, city in (("CN-GD", "Shenzhen"), ("CN-BJ", "Beijing")):
        path = write_json(province_program(province, city=city), tmp_path / f"{province}.json")
        assert import_file(engine, path, policy, actor="test").ok
    add_user(engine, "min", PASSWORD, "ministry")
    client = TestClient(app)
    answer = client.post("/login", data={"username": "min", "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303 and client.cookies[COOKIE]
    return client


@pytest.mark.parametrize("url", ["/", "/org/CN-GD", "/scenario/SC-GD-000", "/graph"])
def test_a_page_answers_its_read_model_when_json_is_preferred(client, url):
    page = client.get(url, headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    twin = client.get(url, headers=JSON)
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"
    assert isinstance(twin.json(), dict) and twin.json()
    assert "Accept" in twin.headers["vary"] and "Accept" in page.headers["vary"]


def test_a_tie_or_a_lower_json_quality_gets_the_page(client):
    for accept in ("*/*", "text/html, application/json", "application/json;q=0.5, text/html"):
        assert client.get("/", headers={"Accept": accept}).headers["content-type"].startswith("text/html")
    assert client.get("/", headers={"Accept": "text/html;q=0.1, application/json"}).json()


def test_a_json_twin_of_a_missing_record_is_a_json_404(client):
    answer = client.get("/org/CN-XX", headers=JSON)
    assert answer.status_code == 404 and "CN-XX" in answer.json()["detail"]
    assert client.get("/no/such/page", headers=JSON).status_code == 404
    assert "detail" in client.get("/no/such/page", headers=JSON).json()


def test_a_json_twin_needs_the_same_login(client):
    client.cookies.clear()
    answer = client.get("/org/CN-GD", headers=JSON, follow_redirects=False)
    assert answer.status_code in (303, 401) and "CN-GD" not in answer.text


# --- figures shared by the report, the page, its JSON twin, the API and the CLI -------------

AS_OF = date(2026, 11, 20)
EVERY_ROBOT = ReadScope(Principal("user", "min", "ministry"), robots=None)  # the ministry's reach


@pytest.fixture(scope="module")
def fleet_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """CN-GD's fleet (`gd_fleet(7)`): five robots in routine operation on SC-GD-000, one
    teleoperated half-failing and one sending a copy (flagged) on SC-GD-001, ingested by the CLI."""
    home = tmp_path_factory.mktemp("fleet")
    assert cli(home, "import", str(write_json(gd_fleet(7), home / "fleet.json"))).exit_code == 0
    days = days_back(AS_OF, 15)
    contents = [workdays(f"R-GD-{i}", days, seed=i) for i in range(1, 6)]
    contents.append(workdays("R-GD-6", days[1:], mode="teleoperated", success_every=2, takeovers_per_day=1))
    contents.append(workdays("R-GD-7", days, seed=1))  # R-GD-1's joint positions again: duplicate_content
    files = [str(write_json_mcap(home / f"r{i}.mcap", c)) for i, c in enumerate(contents, start=1)]
    result = cli(home, "ingest", *files, "--json")
    assert result.exit_code == 0, result.output
    return home


def cli(home: Path, *args: str) -> Result:
    """`robotwork` on the fleet's home and its SQLite registry."""
    return CliRunner().invoke(
        app, ["--home", str(home), "--db", sqlite_url(home), "--actor", "tester", *args]
    )


@pytest.fixture(scope="module")
def fleet(fleet_home: Path) -> TestClient:
    """The dashboard on the fleet's registry, logged in as the ministry."""
    web = create_app(
        Settings(home=fleet_home, db_url=sqlite_url(fleet_home), secret_key="t", secure_cookies=False)
    )
    add_user(web.state.services.engine, "min", PASSWORD, "ministry")
    client = TestClient(web)
    assert client.post(
        "/login", data={"username": "min", "password": PASSWORD}, follow_redirects=False
    ).is_redirect
    return client


def zh(key: str, **values: object) -> str:
    """A catalog message in Chinese, as the dashboard and the report word it."""
    return t(key, "zh", **values)


def test_verified_robots_of_an_organization_everywhere(fleet, fleet_home, policy):
    """Robots in routine operation of CN-GD: 5 in the read model, and the same 5 in the
    progress report (its data and its HTML), the page, the page's JSON twin, the API and the CLI."""
    engine = fleet.app.state.services.engine
    view = organization(engine, policy, AS_OF, "CN-GD", EVERY_ROBOT)
    verified = view.figures["robots_in_routine_operation"]
    assert verified == 5 == view.compliance.verified_robots_in_routine_operation
    report = gather_progress(engine, policy, org="CN-GD", as_of=AS_OF)
    assert report.verified == verified
    assert f"Declared {report.declared}, verified {verified}" in progress_html(report, "en")
    page = fleet.get(f"/org/CN-GD?as_of={AS_OF}").text
    assert re.search(rf'class="pair-value verified"[^>]*>{verified}</a>', page)
    twin = fleet.get(f"/org/CN-GD?as_of={AS_OF}", headers=JSON).json()
    assert twin["figures"]["robots_in_routine_operation"] == verified
    assert twin == view.model_dump(mode="json")
    api = fleet.get(f"/api/v1/orgs/CN-GD?as_of={AS_OF}").json()
    assert api["figures"]["robots_in_routine_operation"] == verified
    metrics = json.loads(
        cli(fleet_home, "metrics", "--by", "province", "--as-of", str(AS_OF), "--json").stdout
    )
    [row] = [r for r in metrics["rows"] if r["code"] == "CN-GD"]
    assert row["robots_in_routine_operation"] == verified


def test_national_figures_everywhere(fleet, fleet_home, policy):
    """The national row of the read model is the national page's twin, the API's, the report's
    and ``metrics --by national --json``'s."""
    engine = fleet.app.state.services.engine
    view = national(engine, policy, AS_OF)
    figures = view.national
    assert figures["robots_in_routine_operation"] == 5 and figures["flagged_recordings"] == 1
    twin = fleet.get(f"/?as_of={AS_OF}", headers=JSON).json()
    assert twin["national"] == figures and twin["summary"] == view.summary
    facts = fleet.get(f"/api/v1/facts?as_of={AS_OF}").json()
    assert facts == twin["facts"] == fleet.get(f"/facts?as_of={AS_OF}", headers=JSON).json()
    assert facts["targets"]["robots"]["verified"] == figures["robots_in_routine_operation"]
    assert fleet.get("/api/v1/graph?org=CN-GD").json() == fleet.get("/graph?org=CN-GD", headers=JSON).json()
    assert fleet.get(f"/api/v1/national?as_of={AS_OF}").json()["national"] == figures
    report = gather_progress(engine, policy, org=None, as_of=AS_OF)
    assert report.national == figures and report.verified == figures["robots_in_routine_operation"]
    cli_row = json.loads(
        cli(fleet_home, "metrics", "--by", "national", "--as-of", str(AS_OF), "--json").stdout
    )
    assert cli_row["rows"][0]["robots_in_routine_operation"] == figures["robots_in_routine_operation"]


def test_checklist_is_one_list_for_page_twin_and_report(fleet, fleet_home, policy):
    """The compliance checklist is built once: the page's twin and the report hold the same
    items; the compliance API and ``compliance --json`` carry the same standing."""
    engine = fleet.app.state.services.engine
    view = organization(engine, policy, AS_OF, "CN-GD", EVERY_ROBOT)
    rules = [(c.rule, c.met) for c in view.checklist]
    assert [r for r, _ in rules] == ["scenarios", "domains", "implementation_plan", "progress_report"]
    twin = fleet.get(f"/org/CN-GD?as_of={AS_OF}", headers=JSON).json()
    assert twin["checklist"] == [c.model_dump(mode="json") for c in view.checklist]
    report = gather_progress(engine, policy, org="CN-GD", as_of=AS_OF)
    assert report.checklist == view.checklist
    standing = view.model_dump(mode="json")["compliance"]
    api = fleet.get(f"/api/v1/compliance?as_of={AS_OF}&org=CN-GD").json()["organizations"][0]
    printed = json.loads(cli(fleet_home, "compliance", "--as-of", str(AS_OF), "--json").stdout)
    [row] = [o for o in printed["organizations"] if o["code"] == "CN-GD"]
    assert api == standing == row


def test_shortfalls_are_data_worded_in_the_readers_language(fleet, policy):
    """What SC-GD-001 lacks for its next rung is a Shortfall in the read model; the page words it
    in Chinese from the catalog, the JSON twin and the API carry the data, the Chinese report
    words it the same way, and the English sentence of the JSON documents is unchanged."""
    engine = fleet.app.state.services.engine
    view = scenario(engine, policy, AS_OF, "SC-GD-001", EVERY_ROBOT)
    [rung] = [r for r in view.ladder if r.next]
    assert rung.shortfalls and rung.shortfalls[0].rule == "stage.verified"
    lack = rung.shortfalls[0]
    assert (lack.have, lack.need, lack.unit) == (0, policy.stages["verified"]["min_robots"], "robots")
    words = describe(lack, zh)
    assert words.startswith("还需") and words in fleet.get(f"/scenario/SC-GD-001?as_of={AS_OF}&lang=zh").text
    twin = fleet.get(f"/scenario/SC-GD-001?as_of={AS_OF}", headers=JSON).json()
    [twin_rung] = [r for r in twin["ladder"] if r["next"]]
    assert twin_rung["shortfalls"] == [s.to_json() for s in rung.shortfalls]
    api = fleet.get(f"/api/v1/scenarios/SC-GD-001?as_of={AS_OF}").json()
    assert api["ladder"] == twin["ladder"]
    report = gather_progress(engine, policy, org="CN-GD", as_of=AS_OF)
    [step] = [s for s in report.next_steps if s.scenario_id == "SC-GD-001"]
    assert step.shortfalls == rung.shortfalls and words in progress_html(report, "zh")
    row = fleet.get(f"/api/v1/metrics/scenario?as_of={AS_OF}").json()
    [sc] = [r for r in row["rows"] if r["scenario_id"] == "SC-GD-001"]
    assert sc["missing_for_next_stage"] == [lack.english()] and sc["shortfalls"] == [lack.to_json()]


def test_an_organization_short_of_its_quota_says_why_as_data(fleet, policy):
    """A non-compliant nominator's shortfalls: structured in the read model and the API, English
    sentences kept under `problems`, and the Chinese national page words them from the catalog."""
    engine = fleet.app.state.services.engine
    view = national(engine, policy, AS_OF)
    short = [o for o in view.provinces + view.central_soes if o.shortfalls]
    assert short and all(not o.compliant or o.shortfalls[0].rule == "duplicates" for o in short)
    standing = short[0]
    assert standing.problems == [s.english() for s in standing.shortfalls]
    api = fleet.get(f"/api/v1/compliance?as_of={AS_OF}&org={standing.code}").json()["organizations"][0]
    assert api["shortfalls"] == [s.to_json() for s in standing.shortfalls]
    page = fleet.get(f"/?as_of={AS_OF}&lang=zh").text
    for shortfall in standing.shortfalls:
        assert describe(shortfall, zh) in page


def test_datasets_exported_is_counted_not_zero(fleet_home, policy):
    """'Training datasets exported' counts the datasets made from the report's scenarios by the
    as-of date (it printed 0 whatever existed)."""
    engine = open_registry(sqlite_url(fleet_home))
    before = gather_progress(engine, policy, org="CN-GD", as_of=AS_OF).harvest.datasets_exported
    result = cli(fleet_home, "dataset", "export", "--out", str(fleet_home / "ds"), "--scenario", "SC-GD-000")
    assert result.exit_code == 0, result.output
    today = datetime.now(policy.zone).date()
    after = gather_progress(engine, policy, org="CN-GD", as_of=today).harvest.datasets_exported
    national_after = gather_progress(engine, policy, org=None, as_of=today).harvest.datasets_exported
    assert (before, after, national_after) == (0, 1, 1)


def test_consortia_with_members_are_one_read(fleet, policy):
    """A consortium's card (members by role, missing roles) is read once: the organization's and
    the consortium's pages (their twins), the API and the report hold the same card."""
    engine = fleet.app.state.services.engine
    [card] = [c for c in consortia(engine, None) if c.consortium_id == "C-GD"]
    assert any(card.members.values())
    expected = card.model_dump(mode="json")
    twin = fleet.get(f"/consortium/C-GD?as_of={AS_OF}", headers=JSON).json()
    assert twin["consortium"] == expected
    assert fleet.get(f"/api/v1/consortia/C-GD?as_of={AS_OF}").json()["consortium"] == expected
    org = fleet.get(f"/org/CN-GD?as_of={AS_OF}", headers=JSON).json()
    assert expected in org["consortia"]
    report = gather_progress(engine, policy, org="CN-GD", as_of=AS_OF)
    assert card in report.consortia


def test_a_json_twin_keeps_the_readers_scope(client):
    """A province officer's twin of another province's scenario has the same public figures as
    the ministry's but none of its robots, and says how many it left out."""
    add_user(client.app.state.services.engine, "bj", PASSWORD, "province", org="CN-BJ")
    ministry = client.get("/scenario/SC-GD-000", headers=JSON).json()
    assert ministry["robots"] and ministry["robots_hidden"] == 0
    client.cookies.clear()
    login = client.post("/login", data={"username": "bj", "password": PASSWORD}, follow_redirects=False)
    assert login.is_redirect
    officer = client.get("/scenario/SC-GD-000", headers=JSON).json()
    assert officer["robots"] == [] and officer["robots_hidden"] == len(ministry["robots"])
    assert officer["figures"] == ministry["figures"] and officer["ladder"] == ministry["ladder"]
    assert client.get("/robot/" + ministry["robots"][0]["robot_serial"], headers=JSON).status_code == 404


def test_a_stored_shortfall_reads_back_and_an_old_sentence_stays_itself(policy):
    """Shortfalls are stored in the figures' JSON column: one reads back equal; a sentence
    stored before shortfalls were data (an older store) stays that sentence in every language."""
    [lack] = stand([RoutineRobot("R1", "S1", "C1", 10, 5)], policy).shortfalls
    assert Shortfall.load(json.loads(json.dumps(lack.to_json()))) == lack
    old = Shortfall.load("2 more robot(s) in routine operation (3 of 5)")
    assert old.english() == describe(old, zh) == "2 more robot(s) in routine operation (3 of 5)"
    with pytest.raises(KeyError):
        Shortfall.load({"have": 1})
