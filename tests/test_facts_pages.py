"""The facts page (and its panel on the national page) and the concepts page: the plan's numbers
from the policy in force, the standing beside each, terms linked to their definitions."""

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from registry_docs import province_program, write_json

from robotwork.accounts import add_user
from robotwork.read.concepts import TERMS, concepts
from robotwork.registry.importer import import_file
from robotwork.web.app import create_app
from robotwork.web.settings import Settings


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, policy) -> TestClient:
    home: Path = tmp_path_factory.mktemp("facts")
    app = create_app(Settings(home=home, secret_key="test", secure_cookies=False))
    engine = app.state.services.engine
    for province, scenarios in (("CN-GD", 20), ("CN-BJ", 12)):
        path = write_json(province_program(province, scenarios=scenarios), home / f"{province}.json")
        assert import_file(engine, path, policy, actor="test").ok
    add_user(engine, "min", "password1", "ministry")
    client = TestClient(app)
    assert client.post("/login", data={"username": "min", "password": "password1"}).status_code == 200
    return client


def test_facts_twin_holds_the_policy_numbers_and_the_standing(client: TestClient, policy) -> None:
    facts = client.get("/facts?format=json&as_of=2026-11-25").json()
    provinces = next(q for q in facts["quotas"] if q["kind"] == "province")
    assert (provinces["min_scenarios"], provinces["quota_met"], provinces["organizations"]) == (20, 1, 31)
    plan, report = facts["deadlines"]
    assert plan["date"] == policy.deadlines["implementation_plan"].isoformat() and plan["days_left"] < 0
    assert report["days_left"] == (policy.deadlines["progress_report"] - date(2026, 11, 25)).days == 5
    assert facts["targets"]["robots"]["target"] == policy.targets["robots_in_routine_operation"]
    assert facts["targets"]["robots"]["declared"] == 3 * 32  # every nomination declares 3 robots
    assert [s["stage"] for s in facts["doctrine"]] == ["nominated", "verified", "batch", "region"]
    assert sum(s["scenarios"] for s in facts["doctrine"]) == facts["counted_scenarios"] == 32


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Robots in routine operation"), ("zh", "常态化运行机器人")]
)
def test_facts_page_links_every_figure(client: TestClient, lang: str, words: str) -> None:
    page = client.get(f"/facts?lang={lang}").text
    assert words in page and "10,000" in page
    assert 'href="/robots?routine=1"' in page and 'href="/scenarios?stage=verified&amp;counted=1"' in page
    assert 'href="/concepts#routine_operation"' in page and 'href="/concepts#ladder"' in page


def test_national_page_has_the_facts_panel_and_the_footer_links_the_definitions(client: TestClient) -> None:
    page = client.get("/?lang=en").text
    assert "facts-panel" in page and 'href="/facts"' in page and 'data-fact="robots"' in page
    assert re.search(r'<a href="/concepts">Definitions: policy file', page)
    for term in ("routine_operation", "high_value_application", "declared_vs_verified"):  # terms used link
        assert f'class="term" href="/concepts#{term}"' in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_concepts_page_defines_every_term_with_an_anchor(client: TestClient, lang: str) -> None:
    page = client.get(f"/concepts?lang={lang}").text
    assert all(f'id="{key}"' in page for key in TERMS)
    assert len(TERMS) >= 9 and {"routine_operation", "worked_day", "autonomy_level", "ladder"} <= set(TERMS)


def test_definitions_follow_the_policy_file(policy) -> None:
    routine = dict(policy.routine_operation, window_days=45, min_worked_days=25)
    swapped = dataclasses.replace(policy, routine_operation=routine)
    [before] = [c for c in concepts(policy, "en") if c.key == "routine_operation"]
    [after] = [c for c in concepts(swapped, "en") if c.key == "routine_operation"]
    assert "30 days" in before.definition and "15 worked days" in before.definition
    assert "45 days" in after.definition and "25 worked days" in after.definition
    zh = {c.key: c for c in concepts(swapped, "zh")}
    assert "45 天" in zh["routine_operation"].definition and zh["routine_operation"].term == "常态化运行"
