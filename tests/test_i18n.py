"""The one translation catalog (`robotwork.locale`): every message the code and the templates ask
for exists in both languages, the Chinese dashboard and the Chinese report show no untranslated
string, and a concept reads the same in the report and on the dashboard."""

import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from string import Formatter
from typing import Any

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from program_app import app, signed_in
from sqlalchemy import MetaData, select

from robotwork.locale import LANGS, catalog_path, display_name, t
from robotwork.reports.render import render_progress_report

__all__ = ["app"]  # the module's program, a fixture

SRC = Path(__file__).resolve().parents[1] / "src" / "robotwork"
KEY = r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+"
CALL = re.compile(rf"""(?<![\w.])(?:_|t)\(\s*["']({KEY})["']""")  # t("nav.national") / _('nav.national')
PREFIX = re.compile(
    r"""(?<![\w.])(?:_|t)\(\s*["']([a-z][a-z0-9_.]*\.)["']\s*(?:~|\+)"""
)  # _('stage.' ~ code)
LITERAL = re.compile(
    rf"""["']({KEY})["']"""
)  # a template hands an id to a macro: m.ok(c, 'status.compliant')
FILE = re.compile(r"\.(html|css|js|json|png|svg)$")  # a template's file name, not a message

# Pages of the small program, read by the ministry (who sees every page) in Chinese.
PAGES = [
    "/",
    "/org/CN-GD",
    "/org/CN-BJ",
    "/scenario/SC-GD-000",
    "/robot/R-GD-1",
    "/robots",
    "/scenarios",
    "/recordings",
    "/integrity",
    "/graph",
    "/graph?org=CN-GD",
    "/upload",
    "/datasets",
    "/facts",
    "/concepts",
    "/live",
    "/live/without-evidence",
    "/audit",
    "/consortium/C-GD",
    "/harvest",
]
# Words a Chinese reader sees as they are: names of things, units, formats, abbreviations.
ALLOWED = {
    "English",  # the language switch names its language in that language
    "robotwork",
    "LeRobot",
    "MQTT",
    "MTBI",
    "SHA",
    "KiB",
    "MiB",
    "GiB",
    "ns",
    "PDF",
    "HTML",
    "JSON",
    "json",
    "xlsx",
    "mcap",
    "gz",
    "tar",
}
COMMAND = re.compile(r"robotwork(?: [a-z][a-z-]*)+(?: --[a-z-]+(?: [A-Z]+)?)*")  # a command line is code
HEX = re.compile(r"[0-9a-f]{8,}")  # a digest (a recording's id), whole or cut short
WORD = re.compile(r"[A-Za-z]{2,}")
LETTER = re.compile(r"[A-Za-z\u4e00-\u9fff]")

# One term per concept: the wordings the report and the dashboard used to disagree on, and the one
# the catalog keeps. No Chinese message may use a rejected wording.
REJECTED = {
    "合规": "达标",  # compliant
    "提名": "推荐",  # nominated
    "站点": "场所",  # site
    "核实": "核验",  # verified
    "待复核": "待核查",  # an open flag
    "录制文件": "录制",  # recording
    "统计窗口": "窗口期",  # the evidence window
    "窗口内": "窗口期内",
    "提交": "报送",  # submitted (plan, report)
    "尚未到期": "未到期",  # not yet due
    "合规检查清单": "达标清单",  # the compliance checklist
    "疑似回放": "回放",  # the replay rule
    "通电未运动": "静止不动",  # the static rule
    "已入库录制文件": "已存录制",  # recordings stored
    "窗口内运行小时": "窗口期运行时长",  # operating hours in the window
}
# Concepts the report and the dashboard both show: each must be asked for by the same id in both.
SHARED = [
    "status.compliant",
    "status.on_time",
    "status.late",
    "status.missing",
    "status.not_due",
    "stage.nominated",
    "check.scenarios",
    "check.domains",
    "check.at_least",
    "check.due",
    "national.window_hours",
    "national.recordings",
    "national.routine",
    "national.high_value",
    "integrity.open",
    "robot.no_data",
    "forecast.title",
    "forecast.verdict",
    "common.declared",
    "common.verified",
]


def messages(lang: str) -> dict[str, str]:
    with catalog_path(lang).open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id}


NAMESPACES = {key.split(".")[0] for key in messages("zh")}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def asked_for(paths: list[Path]) -> tuple[set[str], set[str]]:
    """The literal message ids and the id prefixes (``'stage.' ~ code``) the files ask for."""
    ids: set[str] = set()
    prefixes: set[str] = set()
    for path in paths:
        text = path.read_text("utf-8")
        ids |= set(CALL.findall(text))
        if path.suffix == ".html":
            ids |= {k for k in LITERAL.findall(text) if k.split(".")[0] in NAMESPACES and not FILE.search(k)}
        prefixes |= set(PREFIX.findall(text))
    return ids, prefixes


def code_and_templates(*parts: str) -> list[Path]:
    files = [p for p in SRC.rglob("*.py")] + [p for p in SRC.rglob("templates/*.html")]
    return [p for p in files if all(part in str(p) for part in parts)]


def test_both_catalogs_hold_the_same_messages_with_the_same_fields() -> None:
    zh, en = messages("zh"), messages("en")
    assert set(zh) == set(en) and len(zh) > 500
    assert [k for k, v in zh.items() if not v] == [] and [k for k, v in en.items() if not v] == []
    assert [k for k in zh if fields(zh[k]) != fields(en[k])] == []


def test_each_catalog_is_in_its_language_and_names_a_message_once() -> None:
    """Messages are appended by hand: a second entry for an id would silently win, an English
    text in the Chinese file would show on every Chinese page."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for lang in LANGS:
        ids = re.findall(r'^msgid "(.+)"$', catalog_path(lang).read_text("utf-8"), re.MULTILINE)
        assert sorted({i for i in ids if ids.count(i) > 1}) == [], lang
    zh, en = messages("zh"), messages("en")
    words = {k: re.sub(r"\{[^}]*\}", "", v) for k, v in zh.items()}  # format fields are not words
    assert [k for k, v in words.items() if WORD.search(v) and not cjk.search(v) and k != "lang.en"] == []
    assert [k for k, v in en.items() if cjk.search(v) and k != "lang.zh"] == []


def test_every_message_the_code_and_templates_ask_for_is_in_both_catalogs() -> None:
    ids, prefixes = asked_for(code_and_templates())
    assert len(ids) > 400 and {"nav.national", "masthead", "def.plan.title"} <= ids | {"masthead"}
    for lang in LANGS:
        known = messages(lang)
        assert sorted(ids - set(known)) == [], lang
        assert sorted(p for p in prefixes if not any(k.startswith(p) for k in known)) == [], lang


def test_the_lookup_formats_falls_back_and_names_in_the_readers_language() -> None:
    assert t("status.compliant", "zh") == "达标" and t("status.compliant", "en") == "Compliant"
    assert t("list.page_of", "zh", page=2, pages=5) == "第 2 / 5 页"
    assert t("nav.national", "fr") == t("nav.national", "zh")  # an unknown language reads Chinese
    assert t("no.such.key", "en") == "no.such.key" and t("no.such.key", "en", default="x") == "x"
    assert display_name("Guangdong", "广东省", "zh") == "广东省"
    assert display_name("Guangdong", "广东省", "en") == "Guangdong"
    assert display_name("Acme Robotics", None, "zh") == "Acme Robotics"


def test_one_chinese_term_per_concept() -> None:
    zh = messages("zh")
    for rejected, kept in REJECTED.items():
        assert [k for k, v in zh.items() if rejected in v] == [], f"{rejected}: write {kept}"
    assert [k for k, v in zh.items() if "遥控" in v.replace("远程遥控", "")] == [], "遥控: write 遥操作"


def test_the_report_and_the_dashboard_ask_for_a_shared_concept_by_the_same_id() -> None:
    report_ids, report_prefixes = asked_for(code_and_templates("reports"))
    web_ids, web_prefixes = asked_for(code_and_templates("web"))

    def uses(key: str, ids: set[str], prefixes: set[str]) -> bool:
        return key in ids or any(key.startswith(p) for p in prefixes)

    assert [k for k in SHARED if not uses(k, report_ids, report_prefixes)] == []
    assert [k for k in SHARED if not uses(k, web_ids, web_prefixes)] == []


HIDDEN = ("script", "style", "code")


class _Visible(HTMLParser):
    """The text a reader sees: text nodes and the title/placeholder/aria-label attributes, without
    scripts, styles and code (an audit event's action and detail are shown as recorded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self._skip += 1
        self.parts += [v for k, v in attrs if k in ("title", "placeholder", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


@pytest.fixture(scope="module")
def client(app) -> TestClient:
    """The ministry, signed in before the data is read (the login is an audit event with an address)."""
    return signed_in(app, "min")


@pytest.fixture(scope="module")
def data_strings(app, client: TestClient) -> re.Pattern[str]:
    """Every string the registry holds (names, titles, codes, cities, tasks, file names, audit
    details) and the policy's name and time zone: data shown as entered, longest first so a name
    is taken out whole. A code the catalog translates (``autonomous`` of ``mode.autonomous``,
    ``success`` of ``outcome.success``) is not data: the page must show its translation."""
    services = app.state.services
    codes = {key.rsplit(".", 1)[-1] for key in messages("zh") if "." in key}
    meta = MetaData()
    meta.reflect(services.engine)
    found = {services.policy.name, services.policy.timezone}
    with services.engine.connect() as db:
        for table in meta.sorted_tables:
            for row in db.execute(select(table)):
                found |= set(_strings(list(row)))
    strings = sorted((s for s in found if LETTER.search(s) and s not in codes), key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, strings)) + r")(?![A-Za-z])")


def untranslated(html: str, data: re.Pattern[str], known: set[str]) -> tuple[list[str], ...]:
    """What a Chinese reader should not see: raw message ids anywhere in the page (chart labels are
    in its scripts), and, once data, command lines and allowed words are taken out of the visible
    text, English words and wordings the catalog rejects."""
    scripts_and_text = re.sub(r"(?s)<style\b.*?</style>", " ", html)  # CSS selectors look like ids
    raw = sorted({k for k in re.findall(KEY, scripts_and_text) if k in known})
    text = visible(html)
    text = HEX.sub(" ", COMMAND.sub(" ", text))
    text = data.sub(" ", text)
    english = sorted({w for w in WORD.findall(text) if w not in ALLOWED})
    rejected = sorted(w for w in [*REJECTED, "遥控"] if w in text.replace("远程遥控", ""))
    return raw, english, rejected


def test_the_chinese_dashboard_has_no_untranslated_string(
    client: TestClient, data_strings: re.Pattern[str]
) -> None:
    known = set(messages("zh"))
    for url in PAGES:
        answer = client.get(url, params={"lang": "zh"})
        assert answer.status_code == 200, (url, answer.text[:300])
        assert untranslated(answer.text, data_strings, known) == ([], [], []), url
    # An error page states its reason from the catalog (the CLI and the API keep the English line)
    missing = client.get("/robot/NOPE", params={"lang": "zh"})
    assert missing.status_code == 404 and t("error.404", "zh") in missing.text
    assert t("error.unknown.robot", "zh", record="NOPE") in missing.text and "registry" not in missing.text
    assert untranslated(client.get("/login", params={"lang": "zh"}).text, data_strings, known) == ([], [], [])


def test_the_english_dashboard_has_no_chinese_outside_data(
    client: TestClient, data_strings: re.Pattern[str]
) -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]+")
    for url in PAGES:
        text = data_strings.sub(" ", visible(client.get(url, params={"lang": "en"}).text))
        assert cjk.findall(text.replace(t("lang.zh", "en"), " ")) == [], url


@pytest.mark.parametrize("org", ["CN-GD", None])
def test_the_report_has_no_untranslated_string(app, data_strings: re.Pattern[str], org: str | None) -> None:
    services = app.state.services
    html = render_progress_report(
        services.engine, services.policy, org=org, as_of=date.today(), lang="zh", fmt="html"
    ).decode("utf-8")
    assert "达标" in html or org is None
    assert untranslated(html, data_strings, set(messages("zh"))) == ([], [], [])
    english = render_progress_report(
        services.engine, services.policy, org=org, as_of=date.today(), lang="en", fmt="html"
    ).decode("utf-8")
    assert re.findall(r"[\u4e00-\u9fff]+", data_strings.sub(" ", visible(english))) == []


# What an organization's page and its report both show, and the nation's page and report.
SEEN_IN_BOTH = {
    "/org/CN-GD": [
        "check.scenarios",
        "check.domains",
        "check.implementation_plan",
        "check.progress_report",
        "stage.nominated",
        "org.consortia",
        "member.user",
        "member.integrator",
        "member.algorithm_team",
        "status.non_compliant",
    ],
    "/": [
        "national.routine",
        "national.high_value",
        "national.window_hours",
        "national.recordings",
        "national.provinces",
        "national.soes",
        "national.targets",
        "level.L0",
    ],
}


@pytest.mark.parametrize("url", list(SEEN_IN_BOTH))
def test_a_concept_reads_the_same_in_the_report_and_on_the_page(app, client: TestClient, url: str) -> None:
    services = app.state.services
    org = url.removeprefix("/org/") if url.startswith("/org/") else None
    report = render_progress_report(
        services.engine, services.policy, org=org, as_of=date.today(), lang="zh", fmt="html"
    ).decode("utf-8")
    page = visible(client.get(url, params={"lang": "zh"}).text)
    words = [t(key, "zh") for key in SEEN_IN_BOTH[url]]
    assert [w for w in words if w not in page] == [] and [w for w in words if w not in visible(report)] == []
