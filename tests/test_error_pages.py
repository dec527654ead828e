"""People get pages, not JSON, for a wrong address or a bad parameter, in their language (the
reason too, from the catalog); the API and a page's JSON twin keep their English errors;
/favicon.ico is served."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from robotwork.accounts import add_user
from robotwork.locale import t
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
    robot = client.get("/api/v1/registry/robots/NOPE")
    assert robot.status_code == 404
    assert robot.json() == {"detail": "robots 'NOPE': not in the registry, or not yours to read"}


def reason(page: str) -> str:
    """The error page's reason line, as the reader sees it."""
    found = re.search(r'<p class="alert alert-bad">(.*?)</p>', page, re.DOTALL)
    assert found, page[:300]
    return found.group(1).strip()


def english_words(text: str, *data: str) -> list[str]:
    for value in data:
        text = text.replace(value, " ")
    return re.findall(r"[A-Za-z]{2,}", text)


# An address with a bad parameter, the reason's message and its values, the English JSON detail.
BAD = [
    (
        "/robot/NOPE",
        404,
        ("error.unknown.robot", {"record": "NOPE"}),
        "robot 'NOPE': not in the registry, or not yours to read",
    ),
    ("/scenario/SC-NOPE", 404, ("error.unknown.scenario", {"record": "SC-NOPE"}), None),
    ("/org/XX", 404, ("error.unknown.org", {"record": "XX"}), None),
    ("/consortium/C-NOPE", 404, ("error.unknown.consortium", {"record": "C-NOPE"}), None),
    ("/lens/nope", 404, ("error.unknown.lens", {"record": "nope"}), None),
    (
        "/?as_of=30/11/2026",
        400,
        ("error.bad_date", {"value": "30/11/2026"}),
        "as_of '30/11/2026': not a date (YYYY-MM-DD)",
    ),
    ("/robots?page=abc", 400, ("error.bad_value", {"name": "page"}), None),
    ("/robots?sort=nope", 400, ("error.bad_sort", {"sort": "nope"}), None),
]


@pytest.mark.parametrize(("url", "status", "message", "detail"), BAD)
def test_the_reason_is_in_the_readers_language(
    client: TestClient, url: str, status: int, message: tuple[str, dict[str, str]], detail: str | None
) -> None:
    """The Chinese page states the reason in Chinese (no English words but the address's own
    value), the English page in English; the page's JSON twin keeps the domain's English line."""
    key, values = message
    sep = "&" if "?" in url else "?"
    zh = client.get(f"{url}{sep}lang=zh")
    assert zh.status_code == status and reason(zh.text) == t(key, "zh", **values)
    assert english_words(reason(zh.text), *values.values()) == [] and "not " not in zh.text
    en = client.get(f"{url}{sep}lang=en")
    assert en.status_code == status and reason(en.text) == t(key, "en", **values)
    assert not re.search(r"[\u4e00-\u9fff]", reason(en.text))
    twin = client.get(url, headers={"Accept": "application/json"})
    assert twin.status_code == status and set(twin.json()) == {"detail"}
    assert re.search(r"[\u4e00-\u9fff]", str(twin.json()["detail"])) is None
    if detail is not None:
        assert twin.json() == {"detail": detail}


def test_favicon(client: TestClient) -> None:
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    assert answer.content.lstrip().startswith(b"<svg") or b"<svg" in answer.content[:200]
