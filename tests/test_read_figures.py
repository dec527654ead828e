"""The figures the report, the page, its JSON twin, the API and the CLI share: each tested once
against the read model (`robotwork.read`), then each output shown to carry that same value."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from registry_docs import province_program, write_json

from robotwork.accounts import add_user
from robotwork.registry.importer import import_file
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
