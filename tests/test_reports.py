"""Progress reports: figures from a fleet built here, agreement with the CLI on a demo slice, PDFs.

The PDFs are read back with pdftotext, so the tests see what an official reads; the first page
of each language is kept as a screenshot under docs/screenshots/.
"""

import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import skip_or_fail
from recordings import write_json_mcap
from registry_docs import gd_fleet, write_json
from typer.testing import CliRunner, Result
from workdays import days_back, workdays

from robotwork.cli.app import app
from robotwork.evidence.ladder import RoutineRobot, stand
from robotwork.evidence.shortfall import describe
from robotwork.locale import t
from robotwork.read.progress import gather_progress
from robotwork.registry.db import open_registry, sqlite_url

AS_OF = date(2026, 11, 20)
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"

Cli = Callable[..., Result]


@pytest.fixture(scope="module", autouse=True)
def poppler() -> None:
    """pdftotext and pdftoppm (Debian's poppler-utils, installed by scripts/system-packages.sh)."""
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        skip_or_fail("poppler-utils not installed")


def runner(home: Path, db: str) -> Cli:
    def run(*args: str) -> Result:
        return CliRunner().invoke(app, ["--home", str(home), "--db", db, "--actor", "tester", *args])

    return run


def fleet() -> dict:
    """CN-GD: R-GD-1..5 on SC-GD-000 at three sites in two cities, the others on SC-GD-001."""
    return gd_fleet(7)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    """Five robots in routine operation, one teleoperated half-failing, one sending a copy (flagged)."""
    home = tmp_path_factory.mktemp("small")
    cli = runner(home, sqlite_url(home))
    assert cli("import", str(write_json(fleet(), home / "fleet.json"))).exit_code == 0
    days = days_back(AS_OF, 15)
    contents = [workdays(f"R-GD-{i}", days, seed=i) for i in range(1, 6)]
    contents.append(workdays("R-GD-6", days[1:], mode="teleoperated", success_every=2, takeovers_per_day=1))
    contents.append(workdays("R-GD-7", days, seed=1))  # R-GD-1's joint positions again: duplicate_content
    files = [str(write_json_mcap(home / f"r{i}.mcap", c)) for i, c in enumerate(contents, start=1)]
    result = cli("ingest", *files, "--json")
    assert result.exit_code == 0, result.output
    return cli, home


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext extracts it, without whitespace: lines wrap wherever the layout
    puts them (inside Chinese words too), so phrases are compared squashed (see `has`)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def has(text: str, *phrases: str) -> bool:
    """Whether every phrase is in the squashed text, whitespace ignored."""
    return all("".join(p.split()) in text for p in phrases)


def report(cli: Cli, folder: Path, org: str, lang: str, suffix: str, as_of: date = AS_OF) -> Path:
    out = folder / f"{org}-{lang}.{suffix}"
    result = cli(
        "report", "progress", "--org", org, "--as-of", as_of.isoformat(), "--lang", lang, "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    return out


def screenshot(pdf: Path, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = SCREENSHOTS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True
    )
    return stem.with_suffix(".png")


def test_organization_report_pdf_in_chinese(small):
    cli, home = small
    pdf = report(cli, home, "CN-GD", "zh", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf)
    assert has(text, "广东省工作进展报告", "一、达标清单", "附录：定义与阈值")
    assert has(text, "计入配额的真实工作场景 20 不少于 20 已达成")
    assert has(text, "覆盖领域 2：工厂与仓储、服务 不少于 2 已达成")
    assert has(text, "实施方案 按时报送 截止 2026-06-30", "进展报告 未到期 截止 2026-11-30")
    assert has(text, "总体结论：达标")
    assert has(text, "申报 60 台，核验 5 台：55 台申报机器人缺少常态化运行证据")
    assert has(text, "窗口期运行时长 222.5", "窗口期内任务片段 1,246")
    assert has(text, "已存录制 7 其中被标记（不计入） 1 已导出训练数据集 0")
    assert has(text, "内容重复 R-GD-7", "带动一片")
    assert has(text, "1,246 项任务中成功 1,148 项（92.1%）；222.5 运行小时内人工干预 14 次")
    assert has(
        text, "还需 1 台常态化运行机器人在至少 50 项任务中成功率不低于 80%（目前没有常态化运行的机器人）"
    )
    assert has(text, "2026.1", "第 1 / ")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts.replace("-", "") and " yes yes yes " in fonts  # embedded, subset, unicode


def test_organization_report_pdf_in_english(small):
    cli, home = small
    pdf = report(cli, home, "CN-GD", "en", "pdf")
    text = pdf_text(pdf)
    assert has(text, "Progress report of Guangdong", "1. Compliance checklist")
    assert has(text, "Real work scenarios counted toward the quota 20 at least 20 met")
    assert has(text, "Declared 60, verified 5: 55 declared robot(s) without evidence of routine operation")
    assert has(
        text,
        "Over the window: 1,148 of 1,246 tasks succeeded (92.1%); 14 interventions in 222.5 operating hours",
    )
    assert has(
        text, "Operating hours in the window 222.5 Task episodes in the window 1,246 Recordings stored 7"
    )
    assert has(text, "Duplicate content R-GD-7")
    assert has(text, "8. Next steps", "top of the ladder", "High-value application.")
    assert has(text, "MIIT/SASAC humanoid robots in real work 2026 · 2026.1", "version 2026.1")
    assert has(text, "at least 15 worked days in the window", "more than 0.001 rad")
    assert has(text, "Page 1 of", "Appendix: definitions and thresholds")
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in pages


def test_report_content_is_the_metrics(small, policy):
    """The typed content a template reads: each figure as `robotwork metrics` gives it."""
    cli, home = small
    r = gather_progress(open_registry(sqlite_url(home)), policy, org="CN-GD", as_of=AS_OF)
    assert (r.verified, r.declared, r.high_value, r.robots_placed) == (5, 60, 1, 7)
    assert r.stages == {"nominated": 19, "verified": 0, "batch": 0, "region": 1}
    assert r.autonomy_levels == {"L0": 1, "L1": 0, "L2": 0, "L3": 0, "L4": 5} and r.no_level == 1
    assert (r.harvest.recordings, r.harvest.flagged_recordings, r.harvest.task_episodes) == (7, 1, 1246)
    assert len(r.days) == 30 and r.days[-1].day == AS_OF
    assert sum(d.operating_hours for d in r.days) == pytest.approx(r.harvest.operating_hours) == 222.5
    assert sum(d.interventions for d in r.days) == 14
    assert [(f.rule, f.robot_serial, f.cleared) for f in r.flags] == [("duplicate_content", "R-GD-7", False)]
    [consortium] = r.consortia
    assert consortium.missing_roles == [] and [m.code for m in consortium.members["integrator"]] == ["I-GD"]
    assert r.next_steps[0].scenario_id == "SC-GD-000" and r.next_steps[0].next_stage is None


def test_organization_without_scenarios_or_data_gets_a_report_that_says_so(small):
    cli, home = small
    text = pdf_text(report(cli, home, "CN-BJ", "zh", "pdf"))
    assert has(text, "北京市工作进展报告", "本单位尚无计入的场景，也没有运行数据")
    assert has(text, "计入配额的真实工作场景 0 不少于 20 未达成", "实施方案 未报送")
    assert has(text, "窗口期内没有经核验的运行数据", "本单位场景尚无创新应用联合体")
    assert has(text, "暂无可晋级的场景", "附录：定义与阈值")
    html = report(cli, home, "SOE-SGCC", "en", "html").read_text("utf-8")
    assert "no counted scenario and no operating data" in html and "State Grid Corporation of China" in html
    assert_well_formed(html)


class _Tags(HTMLParser):
    """Checks that every opened element is closed in order (void elements aside)."""

    VOID = {"meta", "br", "circle", "rect", "line", "path"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            assert self.stack and self.stack.pop() == tag, f"</{tag}> closes nothing open"


def assert_well_formed(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    assert parser.stack == [], f"unclosed: {parser.stack}"


def test_national_report_as_html(small):
    cli, home = small
    html = report(cli, home, "national", "zh", "html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and html.count("<svg") >= 6
    assert "全国工作进展报告" in html and "距全国目标差距" in html and "广东省" in html
    assert "5 / 10,000（2026-12-31 前）：尚差 9,995" in html
    assert_well_formed(html)


def test_refusals_are_one_line_and_exit_1(small):
    cli, home = small
    bad_suffix = cli("report", "progress", "--org", "CN-GD", "--out", str(home / "r.docx"))
    unknown = cli(
        "report", "progress", "--org", "CN-XX", "--as-of", "2026-11-20", "--out", str(home / "r.pdf")
    )
    bad_date = cli(
        "report", "progress", "--org", "CN-GD", "--as-of", "2026-13-01", "--out", str(home / "r.pdf")
    )
    for result, words in ((bad_suffix, ".docx"), (unknown, "CN-XX"), (bad_date, "2026-13-01")):
        assert result.exit_code == 1
        assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
    assert not (home / "r.docx").exists() and not (home / "r.pdf").exists()


def test_every_ladder_sentence_reads_in_chinese(policy):
    """Every shortfall the ladder reports has its Chinese message (else Chinese reports show English)."""
    robots = [
        [],
        [RoutineRobot("R1", "S1", "C1", 10, 5)],
        [RoutineRobot("R1", "S1", "C1", 0, 0)],
        [RoutineRobot("R1", "S1", "C1", 100, 100)],
        [RoutineRobot(f"R{i}", "S1", "C1", 100, 100) for i in range(5)],
    ]
    shortfalls = [m for rs in robots for m in stand(rs, policy).shortfalls]
    assert len(shortfalls) == 6
    for shortfall in shortfalls:
        zh = describe(shortfall, lambda key, **values: t(key, "zh", **values))
        assert not re.search(r"[a-z]{3,}", zh.replace("R1", "")), zh


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    """The demo program, with the operating data of one batch-stage scenario (SC-AH-0027)."""
    from robotwork.demo.loader import load_demo_program, load_demo_telemetry
    from robotwork.policy import load_policy
    from robotwork.store.telemetry import TelemetryStore

    home = tmp_path_factory.mktemp("demo")
    engine = open_registry(sqlite_url(home))
    policy = load_policy()
    program, _ = load_demo_program(engine, policy, seed=0, actor="demo")
    sliced = dict(
        program, deployments=[d for d in program["deployments"] if d["scenario_id"] == "SC-AH-0027"]
    )
    store = TelemetryStore(str(home / "telemetry"))
    load_demo_telemetry(
        engine, store, policy, sliced, folder=home / "rec", seed=0, today=date(2026, 11, 25), actor="demo"
    )
    engine.dispose()
    return runner(home, sqlite_url(home)), home


DEMO_AS_OF = "2026-11-24"


def cli_json(cli: Cli, *args: str) -> dict:
    result = cli(*args, "--as-of", DEMO_AS_OF, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_demo_report_agrees_with_metrics_and_compliance(demo, policy):
    cli, home = demo
    engine = open_registry(sqlite_url(home))
    national = cli_json(cli, "metrics", "--by", "national")["rows"][0]
    provinces = {r["code"]: r for r in cli_json(cli, "metrics", "--by", "province")["rows"]}
    scenarios = {r["scenario_id"]: r for r in cli_json(cli, "metrics", "--by", "scenario")["rows"]}
    robots = cli_json(cli, "metrics", "--by", "robot")["rows"]
    compliance = {o["code"]: o for o in cli_json(cli, "compliance")["organizations"]}
    n = gather_progress(engine, policy, org=None, as_of=date.fromisoformat(DEMO_AS_OF))
    assert (n.verified, n.high_value, n.declared) == (
        national["robots_in_routine_operation"],
        national["high_value_applications"],
        national["declared_robots_in_operation"],
    )
    assert n.verified > 0 and n.autonomy_levels == national["autonomy_levels"]
    assert (
        n.harvest.operating_hours == national["operating_hours"]
        and n.harvest.recordings == national["recordings"]
    )
    assert n.harvest.flagged_recordings == national["flagged_recordings"] == 3
    assert n.stages == {s: sum(p["stages"][s] for p in provinces.values()) for s in n.stages}
    assert sum(n.stages.values()) == sum(o["scenarios_counted"] for o in compliance.values())
    assert n.trend[-1].robots_in_routine_operation == national["robots_in_routine_operation"]
    for row in n.ranking["province"] + n.ranking["central_soe"]:
        p, c = provinces[row.org.code], compliance[row.org.code]
        assert (row.robots_in_routine_operation, row.high_value_applications) == (
            p["robots_in_routine_operation"],
            p["high_value_applications"],
        )
        assert (row.declared_robots_in_operation, row.scenarios_counted, row.compliant) == (
            c["declared_robots_in_operation"],
            c["scenarios_counted"],
            c["compliant"],
        )
    assert n.ranking["province"][0].org.code == "CN-AH"
    ah = gather_progress(engine, policy, org="CN-AH", as_of=date.fromisoformat(DEMO_AS_OF))
    c, p = compliance["CN-AH"], provinces["CN-AH"]
    assert (ah.verified, ah.declared, ah.high_value) == (
        c["verified_robots_in_routine_operation"],
        c["declared_robots_in_operation"],
        p["high_value_applications"],
    )
    assert ah.verified == p["robots_in_routine_operation"] and ah.stages == p["stages"]
    assert [i.value for i in ah.checklist] == [
        c["scenarios_counted"],
        c["domains_covered"],
        c["implementation_plan"],
        c["progress_report"],
    ]
    for row in ah.scenarios:
        assert row == scenarios[row["scenario_id"]]
    mine = [r for r in robots if r["scenario_id"] in {s["scenario_id"] for s in ah.scenarios}]
    levels = Counter(r["autonomy_level"] for r in mine)
    assert (
        ah.autonomy_levels == {lv: levels.get(lv, 0) for lv in ah.autonomy_levels}
        and ah.no_level == levels[None]
    )
    assert ah.harvest.operating_hours == pytest.approx(sum(r["operating_hours"] for r in mine), abs=1e-3)
    assert sum(d.operating_hours for d in ah.days) == pytest.approx(ah.harvest.operating_hours, abs=1e-3)
    check_demo_pdfs(cli, home, national, c, p)


def check_demo_pdfs(cli: Cli, home: Path, national: dict, c: dict, p: dict) -> None:
    """The figures as printed, in both languages; the first pages become the docs' screenshots."""
    zh = report(cli, home, "CN-AH", "zh", "pdf", date.fromisoformat(DEMO_AS_OF))
    en = report(cli, home, "CN-AH", "en", "pdf", date.fromisoformat(DEMO_AS_OF))
    zh_text, en_text = pdf_text(zh), pdf_text(en)
    declared, verified = c["declared_robots_in_operation"], c["verified_robots_in_routine_operation"]
    assert has(zh_text, f"申报 {declared:,} 台，核验 {verified:,} 台", "安徽省工作进展报告")
    assert has(en_text, f"Declared {declared:,}, verified {verified:,}", "Progress report of Anhui")
    assert has(en_text, f"Real work scenarios counted toward the quota {c['scenarios_counted']} at least 20")
    stages = " ".join(str(p["stages"][s]) for s in ("nominated", "verified", "batch", "region"))
    assert has(en_text, f"Total {stages} {sum(p['stages'].values())}")
    html = report(cli, home, "national", "en", "html", date.fromisoformat(DEMO_AS_OF)).read_text("utf-8")
    assert f"{national['robots_in_routine_operation']:,} of {national['target_robots']:,} by" in html
    assert f'<span class="value">{national["operating_hours"]:,.1f}</span>' in html
    for path, name in ((zh, "report-zh"), (en, "report-en")):
        assert screenshot(path, name).stat().st_size > 10_000


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_reports_on_postgresql(db_url, tmp_path):
    """The report's own reads (daily sums, flags, consortia) on PostgreSQL too."""
    cli = runner(tmp_path, db_url)
    assert cli("import", str(write_json(fleet(), tmp_path / "fleet.json"))).exit_code == 0
    c = workdays("R-GD-1", days_back(AS_OF, 3), takeovers_per_day=2)
    assert cli("ingest", str(write_json_mcap(tmp_path / "r.mcap", c))).exit_code == 0
    html = report(cli, tmp_path, "CN-GD", "en", "html").read_text("utf-8")
    assert "6 interventions in 7.5 operating hours" in html
    national = report(cli, tmp_path, "national", "en", "html").read_text("utf-8")
    assert "National progress report" in national and "Guangdong" in national
