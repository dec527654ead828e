"""People get pages, not JSON, for a wrong address or a bad parameter, in their language; the
API keeps its JSON errors; /favicon.ico is served."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from robotwork.accounts import add_user
from robotwork.web.app import create_app
from robotwork.web.settings import Settings


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    home: Path = tmp_path_factory.mktemp("errors")
    app = create_app(Settings(home=home, secret_key="test", secure_cookies=False))
    add_user(app.state.services.engine, "min", "password1", "ministry")
    client = TestClient(app)
    assert client.post("/login", data={"username": "min", "password": "password1"}).status_code == 200
    return client


@pytest.mark.parametrize(("lang", "heading"), [("zh", "未找到"), ("en", "Not found")])
def test_unknown_address_is_a_styled_page_in_both_languages(
    client: TestClient, lang: str, heading: str
) -> None:
    answer = client.get(f"/nonexistent?lang={lang}")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert (
        heading in answer.text and "/nonexistent" in answer.text and 'href="/static/app.css"' in answer.text
    )


@pytest.mark.parametrize(("lang", "heading"), [("zh", "参数有误"), ("en", "A parameter is wrong")])
def test_bad_parameter_is_a_page_whose_way_back_drops_it(client: TestClient, lang: str, heading: str) -> None:
    answer = client.get(f"/?as_of=30/11/2026&lang={lang}")
    assert answer.status_code == 400 and heading in answer.text
    assert "30/11/2026" in answer.text and 'href="/"' in answer.text


@pytest.mark.parametrize(("lang", "nav"), [("zh", "全国总览"), ("en", "National")])
@pytest.mark.parametrize("url", ["/nonexistent", "/?as_of=30/11/2026"])
def test_an_error_page_carries_the_sites_masthead_navigation_and_language_switch(
    client: TestClient, lang: str, nav: str, url: str
) -> None:
    sep = "&" if "?" in url else "?"
    page = client.get(f"{url}{sep}lang={lang}").text
    assert 'class="masthead"' in page and 'class="lang-switch"' in page and 'class="mainnav"' in page
    assert f">{nav}</a>" in page and "min · " in page  # the person's navigation and name
    other = "en" if lang == "zh" else "zh"
    assert f'hreflang="{other}"' in page
    anonymous = TestClient(client.app).get(f"/nonexistent?lang={lang}")
    assert anonymous.status_code == 404 and 'class="lang-switch"' in anonymous.text
    assert 'class="mainnav"' not in anonymous.text  # no navigation for a visitor not logged in


def test_the_api_keeps_json_errors(client: TestClient) -> None:
    answer = client.get("/api/v1/nonexistent")
    assert answer.status_code == 404 and answer.json() == {"detail": "Not Found"}


def test_favicon(client: TestClient) -> None:
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    assert answer.content.lstrip().startswith(b"<svg") or b"<svg" in answer.content[:200]
