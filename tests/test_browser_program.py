"""The program as its people see it, in headless Chromium (Debian's, never a downloaded browser):
each lens after login, the forecast panel, list filters, the graph inside its box at two screen
sizes, a dataset exported from the web and downloaded. Screenshots go to docs/screenshots/. The
demo slice and the server are those of test_browser.py, one per module."""

import tarfile
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_browser import base_url, browser, charts_drawn, demo, log_in, page, shoot

from robotwork.policy import load_policy
from robotwork.registry.db import open_registry, sqlite_url
from robotwork.registry.models import Episode

__all__ = ["base_url", "browser", "demo", "page"]  # fixtures shared with test_browser.py

NODES_INSIDE = """() => {
    const el = document.querySelector('.chart[data-chart=graph]');
    const chart = echarts.getInstanceByDom(el);
    const data = chart.getModel().getSeriesByIndex(0).getData();
    const box = el.getBoundingClientRect();
    const out = [];
    for (let i = 0; i < data.count(); i++) {
        const [x, y] = chart.convertToPixel({seriesIndex: 0}, data.getItemLayout(i));
        const r = data.getItemVisual(i, 'symbolSize') / 2;
        out.push({id: data.getId(i), left: x - r, right: x + r, top: y - r, bottom: y + r});
    }
    return {width: box.width, height: box.height, nodes: out};
}"""


def log_out(page) -> None:
    page.click("form[action='/logout'] button[type=submit]")
    page.wait_for_url("**/login")


@pytest.mark.parametrize(
    ("user", "lands"), [("min", "/"), ("gd", "/org/CN-GD"), ("member", "/consortium/"), ("team", "/harvest")]
)
def test_each_role_lands_on_its_lens(page, user, lands):
    log_in(page, user)
    path = page.url.split("://")[1].split("/", 1)[1]
    assert ("/" + path).startswith(lands) and (lands != "/" or path == ""), page.url
    assert page.locator(".lens-switch a[data-lens=harvest]").count() == 1
    charts_drawn(page)
    shoot(page, f"lens-{user}", full_page=False)


def test_an_algorithm_team_lands_on_the_harvest_of_its_consortium(page):
    log_in(page, "team")
    assert page.url.endswith("/harvest")
    assert int(page.locator("#harvest-episodes").inner_text()) > 0  # its consortium's robots' episodes
    assert page.locator(".lens-switch a[data-lens]").evaluate_all("els => els.map(e => e.dataset.lens)") == [
        "harvest",
        "national",
    ]
    assert page.locator("#by-model tbody tr").count() >= 1 and page.locator("#interventions").count() == 1
    page.click(".lens-switch a[data-lens=national]")
    page.wait_for_url(lambda url: not url.endswith("/harvest"))
    log_out(page)
    log_in(page, "team")  # the chosen lens is remembered
    assert not page.url.endswith("/harvest")


def test_a_consortium_member_chooses_the_harvest_and_lands_there_next_time(page):
    log_in(page, "member")
    page.click(".lens-switch a[data-lens=harvest]")
    page.wait_for_url("**/harvest")
    assert int(page.locator("#harvest-episodes").inner_text()) > 0
    page.select_option("#harvest-filters select[name=outcome]", "success")
    page.click("#harvest-filters button[type=submit]")
    page.wait_for_url("**outcome=success**")
    assert "--outcome success" in page.locator("#export pre").inner_text()
    shoot(page, "lens-harvest")
    log_out(page)
    log_in(page, "member")
    assert page.url.endswith("/harvest")


def test_forecast_panel_beside_the_targets(page):
    log_in(page, "min")
    page.goto("/?lang=en")
    panel = page.locator("#forecast")
    assert panel.locator("tbody tr").count() == 2
    assert "Forecast to" in panel.inner_text() and "least-squares" in panel.inner_text()
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(_shots() / "forecast.png"))
    page.goto("/org/CN-GD?lang=en")
    assert page.locator("#forecast tbody tr").count() == 2


def _shots():
    from test_browser import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def test_list_filters_search_sort_and_page(page):
    log_in(page, "min")
    page.goto("/scenarios?lang=en&per_page=20")
    total = int(page.locator("h1 .count").inner_text())
    page.fill(".list-controls input[name=q]", "GD")
    page.select_option(".list-controls select[name=sort]", "-scenario_id")
    page.select_option(".list-controls select[name=domain]", index=1)
    page.click(".list-controls button[type=submit]")
    page.wait_for_url("**q=GD**")
    found = int(page.locator("h1 .count").inner_text())
    assert 0 < found < total
    links = page.locator("table.data tbody tr td:first-child a")
    ids = [links.nth(i).get_attribute("href").split("/scenario/")[1] for i in range(links.count())]
    assert ids == sorted(ids, reverse=True) and all("GD" in i for i in ids), ids
    shoot(page, "list-filters", full_page=False)
    page.goto("/robots?lang=en&per_page=10")
    if page.locator("a[rel=next]").count():
        page.click("a[rel=next]")
        page.wait_for_url("**page=2**")
        assert "Page 2 of" in page.content()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
@pytest.mark.parametrize("url", ["/graph", "/graph?org=CN-GD"])
def test_every_graph_node_lies_inside_the_chart(browser, base_url, width, height, url):
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=base_url)
    tab = context.new_page()
    try:
        log_in(tab, "min")
        tab.goto(url)
        charts_drawn(tab)
        seen = tab.evaluate(NODES_INSIDE)
        assert seen["nodes"]
        for n in seen["nodes"]:
            assert n["left"] >= 0 and n["right"] <= seen["width"], n
            assert n["top"] >= 30 and n["bottom"] <= seen["height"], n  # below the legend
        assert tab.evaluate(NODES_INSIDE) == seen  # fixed, not moving
        wanted = next(n["id"] for n in seen["nodes"] if n["id"].startswith("scenario:"))
        tab.fill("form[data-graph-search] input", wanted.split(":", 1)[1])
        tab.click("form[data-graph-search] button")
        assert tab.get_attribute(".chart[data-chart=graph]", "data-found") == wanted
        shoot(tab, f"graph-{'org' if 'org=' in url else 'overview'}-{width}x{height}", full_page=False)
    finally:
        context.close()


def _last_day(demo: dict) -> str:
    """The last day the demo robot worked (a small export: one robot, one day)."""
    engine = open_registry(sqlite_url(demo["home"]))
    try:
        with Session(engine) as session:
            last = session.scalar(
                select(func.max(Episode.start_ns)).where(Episode.robot_serial == demo["robot"])
            )
    finally:
        engine.dispose()
    return datetime.fromtimestamp(last / 1e9, load_policy().zone).date().isoformat()


def test_dataset_export_from_the_web_and_its_download(page, demo):
    log_in(page, "member")
    page.goto("/harvest?lang=en")
    page.fill("#export-form input[name=name]", "browser-export")
    page.fill("#export-form input[name=scenario]", "SC-GD-0002")  # the consortium's own robots
    page.fill("#export-form input[name=robot]", demo["robot"])
    day = _last_day(demo)
    page.fill("#export-form input[name=from]", day)
    page.fill("#export-form input[name=to]", day)
    page.click("#export-form button[type=submit]")
    page.wait_for_url("**/datasets/exports/**")
    # the page reloads itself each second while the job runs
    ended = "#export-job[data-state=done], #export-job[data-state=failed]"
    page.wait_for_selector(ended, timeout=180_000)
    page.wait_for_load_state()
    assert page.get_attribute("#export-job", "data-state") == "done"
    shoot(page, "dataset-export")
    with page.expect_download() as info:
        page.click("#export-job a[data-download]")
    with tarfile.open(info.value.path(), mode="r:gz") as tar:
        names = tar.getnames()
    assert any(n.endswith("meta/info.json") for n in names)
    page.click("#export-job a[href^='/datasets/']:not([data-download])")
    page.wait_for_load_state()
    assert "Dataset card" in page.content() and "browser-export" in page.locator("h1").inner_text()
    shoot(page, "dataset-card")
