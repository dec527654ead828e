"""The facts, concepts and error pages in headless Chromium (Debian's package) on the demo
registry without recordings; screenshots to docs/screenshots/."""

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import PASSWORD, _free_port, browser, log_in, page, shoot  # noqa: F401 (fixtures)

from robotwork.accounts import add_user
from robotwork.demo.loader import load_demo_program
from robotwork.registry.db import open_registry, sqlite_url
from robotwork.web.app import create_app
from robotwork.web.settings import Settings


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, policy) -> Iterator[str]:
    """The demo registry (no recordings) served by uvicorn, with a ministry account."""
    import uvicorn

    home: Path = tmp_path_factory.mktemp("facts-home")
    engine = open_registry(sqlite_url(home))
    load_demo_program(engine, policy, seed=0, actor="demo")
    add_user(engine, "min", PASSWORD, "ministry")
    engine.dispose()
    app = create_app(Settings(home=home, secret_key="browser-test", secure_cookies=False))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the dashboard server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_facts_and_concepts_pages_link_to_each_other(page) -> None:  # noqa: F811
    log_in(page, "min")
    assert page.locator(".facts-panel [data-fact=robots]").count() == 1  # the panel on the national page
    page.goto("/facts?lang=en")
    assert page.locator("h1").inner_text() == "The plan's facts and where we stand"
    assert page.locator("#facts table.data").count() == 4
    shoot(page, "facts")
    page.click("a[href='/concepts#ladder']")
    page.wait_for_url("**/concepts#ladder")
    assert page.locator("dt#ladder").is_visible() and page.locator("dl.glossary dt").count() >= 9
    shoot(page, "concepts")
    page.goto("/concepts?lang=zh")
    assert page.locator("h1").inner_text() == "概念" and "常态化运行" in page.content()
    page.goto("/facts?lang=zh")
    page.click("[data-fact=robots]")
    page.wait_for_url("**/robots?routine=1")


@pytest.mark.parametrize(("lang", "heading"), [("zh", "未找到"), ("en", "Not found")])
def test_a_wrong_address_is_a_styled_page(page, lang: str, heading: str) -> None:  # noqa: F811
    log_in(page, "min")
    answer = page.goto(f"/nonexistent?lang={lang}")
    assert answer.status == 404 and page.locator("h1").inner_text() == heading
    assert page.locator("header.masthead").is_visible() and page.locator(".alert-bad").is_visible()
    if lang == "en":
        shoot(page, "not-found")
