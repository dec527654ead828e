"""Dashboard pages on a fresh app per test: logins, languages, clearing flags, uploads and scopes."""

import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from recordings import write_json_mcap
from registry_docs import edited, province_program, write_json, write_xlsx
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from workdays import days_back, workdays

from robotwork.accounts import ROLES, add_user
from robotwork.compliance import LATE, MISSING, NOT_DUE, ON_TIME
from robotwork.evidence.flags import RULES
from robotwork.evidence.ladder import STAGES
from robotwork.evidence.metrics import LEVELS
from robotwork.locale import has
from robotwork.read.graph import CATEGORIES
from robotwork.registry.importer import import_file
from robotwork.registry.models import Change, Flag, Recording, Scenario
from robotwork.registry.template import MEMBER_ROLES, NOMINATOR_KINDS
from robotwork.web.app import create_app
from robotwork.web.session import COOKIE
from robotwork.web.settings import Settings

PASSWORD = "password1"
PAGES = [
    "/",
    "/org/CN-GD",
    "/scenario/SC-GD-000",
    "/robot/R-GD-1",
    "/integrity",
    "/graph",
    "/graph?org=CN-GD",
    "/upload",
    "/robots?routine=1",
    "/scenarios?org=CN-GD&counted=1",
    "/datasets",
]


@pytest.fixture
def client(tmp_path: Path, policy) -> TestClient:
    """An app on SQLite with two provinces and a user per role (ministry, GD officer, GD consortium)."""
    app = create_app(Settings(home=tmp_path, secret_key="test", secure_cookies=False))
    engine = app.state.services.engine
    for province, city in (("CN-GD", "Shenzhen"), ("CN-BJ", "Beijing")):
        path = write_json(province_program(province, city=city), tmp_path / f"{province}.json")
        assert import_file(engine, path, policy, actor="test").ok
    add_user(engine, "min", PASSWORD, "ministry")
    add_user(engine, "gd", PASSWORD, "province", org="CN-GD")
    add_user(engine, "cgd", PASSWORD, "consortium", consortium="C-GD")
    return TestClient(app)


def login(client: TestClient, username: str) -> str:
    """Log in; returns the session's CSRF token."""
    answer = client.post("/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303
    return client.app.state.services.sessions.read(client.cookies[COOKIE]).csrf


def counts(client: TestClient) -> tuple[int, ...]:
    """Rows that a refused upload must leave alone."""
    with Session(client.app.state.services.engine) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(m)) for m in (Scenario, Change, Recording)
        )


def upload_static_recording(client: TestClient, tmp_path: Path, csrf: str, serial: str = "R-GD-1"):
    """A consortium member uploads a powered-but-static recording, which the `static` rule flags."""
    path = write_json_mcap(
        tmp_path / f"{serial}.mcap", workdays(serial, days_back(date.today(), 1), static=True)
    )
    with path.open("rb") as fh:
        return client.post("/upload/recording", data={"csrf_token": csrf}, files={"file": (path.name, fh)})


def test_every_page_redirects_to_login_without_a_session(client):
    for url in PAGES:
        answer = client.get(url, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next="), url
    assert client.get("/login").status_code == 200


def test_every_page_renders_for_a_logged_in_user(client):
    login(client, "gd")
    for url in PAGES:
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.text[:500])
        assert "/static/vendor/echarts/echarts.min.js" in answer.text
    assert client.get("/org/CN-XX").status_code == 404
    assert client.get("/robot/NOPE").status_code == 404
    assert client.get("/datasets/0123abcd").status_code == 404
    assert client.get("/static/vendor/echarts/echarts.min.js").status_code == 200


def test_national_page_links_figures_to_their_evidence(client):
    login(client, "min")
    page = client.get("/").text
    assert 'href="/robots?routine=1"' in page and 'href="/scenarios?high_value=1&amp;counted=1"' in page
    assert 'href="/org/CN-GD"' in page and 'href="/robots?org=CN-GD&amp;routine=1"' in page


def test_login_refuses_a_wrong_password_and_foreign_redirects(client):
    wrong = client.post("/login", data={"username": "min", "password": "nope-nope"}, follow_redirects=False)
    assert wrong.status_code == 401 and COOKIE not in client.cookies
    answer = client.post(
        "/login",
        data={"username": "min", "password": PASSWORD, "next": "//evil.example"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_logout_needs_the_csrf_token(client):
    csrf = login(client, "min")
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403
    answer = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_language_switch_changes_the_words_and_sticks(client):
    login(client, "min")
    assert "全国总览" in client.get("/").text  # Chinese by default
    english = client.get("/?lang=en")
    assert "National overview" in english.text and "全国总览" not in english.text
    assert "Guangdong" in english.text
    assert "National overview" in client.get("/").text  # the cookie keeps it
    assert "Counted scenarios by domain and stage" in client.get("/org/CN-GD").text
    assert "全国总览" in client.get("/?lang=zh").text


def test_clearing_a_flag_needs_csrf_and_the_ministry(client, tmp_path):
    csrf = login(client, "cgd")
    stored = upload_static_recording(client, tmp_path, csrf)
    assert stored.status_code == 200, stored.text
    engine = client.app.state.services.engine
    with Session(engine) as session:
        flag = session.scalars(select(Flag)).one()
    assert flag.rule == "static"
    assert f'id="flag-{flag.id}"' in client.get("/integrity").text

    csrf = login(client, "min")
    url = f"/integrity/{flag.id}/clear"
    assert client.post(url, data={"reason": "seen on site"}).status_code == 403  # no token
    assert client.post(url, data={"reason": "  ", "csrf_token": csrf}).status_code == 422
    officer = login(client, "gd")
    assert 'action="/integrity/' not in client.get("/integrity").text  # read-only for others
    assert client.post(url, data={"reason": "seen on site", "csrf_token": officer}).status_code == 403
    with Session(engine) as session:
        assert session.get(Flag, flag.id).cleared_at is None

    csrf = login(client, "min")
    answer = client.post(url, data={"reason": "seen on site", "csrf_token": csrf}, follow_redirects=False)
    assert answer.status_code == 303
    with Session(engine) as session:
        cleared = session.get(Flag, flag.id)
        assert (cleared.cleared_by, cleared.clear_reason) == ("min", "seen on site")


def test_recording_of_another_consortiums_robot_is_refused(client, tmp_path):
    csrf = login(client, "cgd")
    before = counts(client)
    answer = upload_static_recording(client, tmp_path, csrf, serial="R-BJ-1")
    assert answer.status_code == 403 and "R-BJ-1" in answer.text
    assert counts(client) == before


def test_upload_names_every_bad_row_and_writes_nothing(client, tmp_path):
    csrf = login(client, "gd")
    doc = edited(province_program("CN-GD", city="Shenzhen"), "scenarios", 3, domain="space")
    path = write_xlsx(doc, tmp_path / "nominations.xlsx")
    before = counts(client)
    with path.open("rb") as fh:
        answer = client.post("/upload/workbook", data={"csrf_token": csrf}, files={"file": (path.name, fh)})
    assert answer.status_code == 422
    assert 'href="/upload?lang=en"' in answer.text  # switching language after a POST opens the form page
    row = re.search(
        r"<tr class=\"row-bad\"><td>scenarios</td><td class=\"num\">(\d+)</td><td>domain</td>", answer.text
    )
    assert row and row.group(1) == "5"  # header is row 1, the fourth scenario is row 5
    assert counts(client) == before


def test_officer_may_import_only_their_own_organizations_rows(client, tmp_path):
    csrf = login(client, "gd")
    own = province_program("CN-GD", city="Shenzhen")
    foreign = [
        edited(own, "scenarios", 2, nominated_by="CN-BJ"),
        edited(own, "submissions", 0, org_code="CN-BJ", submitted_on="2026-06-29"),  # a new one
        edited(own, "sites", 0, province="CN-BJ"),
        edited(own, "scenarios", 0, scenario_id="SC-BJ-001"),  # already CN-BJ's: taking it over
    ]
    before = counts(client)
    for i, doc in enumerate(foreign):
        path = write_json(doc, tmp_path / f"foreign{i}.json")
        with path.open("rb") as fh:
            answer = client.post(
                "/upload/workbook", data={"csrf_token": csrf}, files={"file": (path.name, fh)}
            )
        assert answer.status_code == 403, (i, answer.text[-800:])
        assert "CN-BJ" in answer.text
    assert counts(client) == before

    mine = edited(own, "scenarios", 0, title="Tote picking line, night shift")
    path = write_json(mine, tmp_path / "mine.json")
    with path.open("rb") as fh:
        answer = client.post("/upload/workbook", data={"csrf_token": csrf}, files={"file": (path.name, fh)})
    assert answer.status_code == 200 and "mine.json" in answer.text


def test_only_officers_upload_workbooks(client, tmp_path):
    csrf = login(client, "cgd")
    path = write_json(province_program("CN-GD"), tmp_path / "doc.json")
    with path.open("rb") as fh:
        answer = client.post("/upload/workbook", data={"csrf_token": csrf}, files={"file": (path.name, fh)})
    assert answer.status_code == 403


def test_every_key_the_pages_use_has_both_languages():
    templates = Path(__file__).resolve().parents[1] / "src/robotwork/web/templates"
    used = {k for f in templates.glob("*.html") for k in re.findall(r"_\('([a-z_.0-9]+)'[,)]", f.read_text())}
    values = {
        "stage": STAGES,
        "ladder": STAGES,
        "level": LEVELS,
        "member": MEMBER_ROLES,
        "role": ROLES,
        "kind": NOMINATOR_KINDS,
        "graph": CATEGORIES,
        "status": (ON_TIME, LATE, MISSING, NOT_DUE),
    }
    used |= {f"{prefix}.{v}" for prefix, vs in values.items() for v in vs}
    used |= {f"rule.{r}.{part}" for r in RULES for part in ("name", "why")}
    missing = {key for key in used if not (has(key, "en") and has(key, "zh"))}
    assert used and not missing, missing


def test_upload_refuses_files_it_cannot_read(client, tmp_path):
    csrf = login(client, "gd")
    for name, body, words in (
        ("broken.xlsx", b"not a zip", "broken.xlsx: not a readable .xlsx workbook"),
        ("notes.txt", b"hello", "notes.txt: expected a .xlsx or .json file"),
    ):
        answer = client.post("/upload/workbook", data={"csrf_token": csrf}, files={"file": (name, body)})
        assert answer.status_code == 422 and words in answer.text, answer.text[-600:]
    member = login(client, "cgd")
    answer = client.post(
        "/upload/recording", data={"csrf_token": member}, files={"file": ("r.mcap", b"junk")}
    )
    assert answer.status_code == 422 and "r.mcap" in answer.text and "/tmp" not in answer.text


def test_progress_report_links_on_national_and_org_pages(client):
    """The national and organization pages link to their progress reports, which download."""
    login(client, "min")
    for url, code in (("/", "national"), ("/org/CN-GD", "CN-GD")):
        page = client.get(url + "?lang=en").text
        link = f"/api/v1/reports/progress/{code}?lang=en&amp;format=pdf"
        assert link in page, url
        pdf = client.get(link.replace("&amp;", "&"))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_national_page_rendered_once_per_reader_and_again_after_a_change(client, tmp_path, policy):
    """The national page's bytes are kept per reader while its read model is (render_kept): the
    same bytes again, another reader's own masthead, and new figures as soon as the registry changes."""
    login(client, "min")
    first = client.get("/?lang=en")
    assert client.get("/?lang=en").content == first.content
    zj_counted = 'href="/scenarios?org=CN-ZJ&amp;counted=1">0</a>'  # Zhejiang: no scenario yet
    assert zj_counted in first.text
    other = TestClient(client.app)
    other.post("/login", data={"username": "gd", "password": PASSWORD})
    theirs = other.get("/?lang=en")
    assert theirs.status_code == 200 and theirs.content != first.content  # their name, their lens
    engine = client.app.state.services.engine
    path = write_json(province_program("CN-ZJ", city="Hangzhou"), tmp_path / "CN-ZJ.json")
    assert import_file(engine, path, policy, actor="test").ok
    assert zj_counted not in client.get("/?lang=en").text
