"""The live page in Debian's Chromium (Playwright, never a downloaded browser): it follows the
event stream, so a robot that goes into fault shows without a reload. Its screenshot goes to
docs/screenshots/live.png."""

import os
import shutil
import time
from pathlib import Path

from conftest import skip_or_fail
from livesrv import serving
from registry_docs import gd_fleet, write_json

from robotwork.accounts import add_user, create_token
from robotwork.live.contract import ONLINE, ConnectionMessage, LiveError, StateMessage
from robotwork.live.persist import write_rows
from robotwork.live.tracker import Tracker
from robotwork.registry.importer import import_file
from robotwork.web.app import create_app
from robotwork.web.settings import Settings

CHROMIUM = os.environ.get("ROBOTWORK_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def test_live_page_updates_without_reload(tmp_path: Path, policy) -> None:
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -e .[test])")
    app = create_app(Settings(home=tmp_path / "home", secret_key="t", secure_cookies=False))
    engine = app.state.services.engine
    assert import_file(engine, write_json(gd_fleet(6), tmp_path / "fleet.json"), policy, actor="setup").ok
    add_user(engine, "min", "password-min", "ministry")
    token = create_token(engine, username="min")
    tracker, now = Tracker(), time.time_ns()
    for i in range(1, 7):
        serial = f"R-GD-{i}"
        tracker.apply(ConnectionMessage(serial, ONLINE, now), now)
        tracker.apply(StateMessage(serial, now, "autonomous", f"pick-{i}", "S-GD-1", 90.0 - i), now)
    write_rows(engine, tracker.snapshot())
    with serving(app) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        context = browser.new_context(
            base_url=url,
            viewport={"width": 1440, "height": 1000},
            extra_http_headers={"Authorization": f"Bearer {token}"},
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto("/live?lang=en")
        row = page.locator('#live-robots tr[data-serial="R-GD-3"]')
        assert "Working" in row.inner_text()
        page.evaluate("window.notReloaded = true")
        page.wait_for_function("document.getElementById('live-updated').dataset.at")  # the stream is on
        fault = StateMessage(
            "R-GD-3", now, "fault", None, "S-GD-1", 40.0, (LiveError("E_MOTOR", "fatal", "hot"),)
        )
        tracker.apply(fault, time.time_ns())
        write_rows(engine, tracker.snapshot())
        page.wait_for_function(
            "document.querySelector('#live-robots tbody tr').dataset.serial === 'R-GD-3'", timeout=10_000
        )
        assert page.evaluate("window.notReloaded") is True
        first = page.locator("#live-robots tbody tr").first
        assert "Fault" in first.inner_text() and "E_MOTOR" in first.inner_text()
        assert page.locator('#live-counts [data-status="fault"]').inner_text() == "1"
        province = page.locator("#live-by-province tbody tr").first.inner_text().split()
        assert province == ["CN-GD", "5", "0", "1", "0", "0", "0"]  # working, idle, fault, ...
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "live.png"), full_page=True)
        browser.close()
    assert not errors, errors
    engine.dispose()
