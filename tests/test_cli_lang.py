"""`robotwork --lang zh` words tables in Chinese from the one catalog, by the ids the dashboard
uses, and still fits 80 columns; `--lang en` (the default) prints what it always did; `--json` is
the same in both languages (issue 12 item 4: one catalog for the dashboard, reports and CLI)."""

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from test_cli_output import AS_OF, RULE, _build
from typer.testing import CliRunner

from robotwork.cli.app import app
from robotwork.evidence.shortfall import Shortfall, describe
from robotwork.locale import t

WORD = re.compile(r"[A-Za-z]{2,}")  # an English word (a unit like "h" is one letter)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lang-home")
    _build(folder)
    return folder


def _run(home: Path, *args: str, width: int = 80, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(app, ["--home", str(home), *args], env={"COLUMNS": str(width), **(env or {})})
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def _header(out: str) -> str:
    lines = out.splitlines()
    return lines[next(i for i, line in enumerate(lines) if RULE.match(line.strip())) - 1]


def _rows(out: str) -> list[str]:
    """The body lines of the table: from the rule under the header to the first blank line or
    note (in either language)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if RULE.match(line.strip())) + 1
    notes = ("showing ", "left out", "provinces ", "显示 ", "为适应宽度", "达标省级")
    body = []
    for line in lines[start:]:
        if not line.strip() or line.startswith(notes):
            break
        body.append(line)
    return body


def _zh(*keys: str) -> list[str]:
    return [t(k, "zh") for k in keys]


# a command, the catalog ids of headers its Chinese table shows at 80 columns
TABLES = [
    (
        ("compliance", "--as-of", AS_OF),
        ("meta.code", "col.scenarios", "col.plan", "col.report", "col.status"),
    ),
    (("metrics", "--by", "robot", "--as-of", AS_OF), ("col.robot", "col.operating_hours", "col.routine")),
    (("metrics", "--by", "scenario", "--as-of", AS_OF), ("col.scenario", "col.stage", "col.robots")),
    (("metrics", "--by", "province", "--as-of", AS_OF), ("meta.code", "col.routine", "stage.nominated")),
    (("flags",), ("col.rule", "col.robot", "col.recording", "col.evidence")),
    (("audit",), ("audit.at", "audit.actor", "audit.action", "audit.outcome")),
    (("history",), ("audit.at", "audit.action", "cli.col.record")),
    (("tokens", "list"), ("cli.col.id", "col.robot", "cli.col.state")),
    (("dataset", "list"), ("datasets.name", "datasets.model", "datasets.episodes")),
    (("live", "status"), ("col.robot", "live.col.status", "live.col.mode")),
]


@pytest.mark.parametrize(("args", "keys"), TABLES, ids=[" ".join(a[:3]) for a, _ in TABLES])
def test_chinese_tables_have_the_catalogs_headers_and_fit_80_columns(home, args, keys):
    out = _run(home, "--lang", "zh", *args)
    header = _header(out)
    assert all(word in header for word in _zh(*keys)), header
    assert not WORD.search(header), header  # every header is the catalog's Chinese
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert _rows(out) and "showing" not in out and "left out" not in out


def test_chinese_tables_word_statuses_stages_and_rules_as_the_dashboard(home):
    orgs = json.loads(_run(home, "compliance", "--as-of", AS_OF, "--json"))["organizations"]
    rows = _rows(_run(home, "--lang", "zh", "compliance", "--as-of", AS_OF))
    assert len(rows) == 20
    for org, row in zip(orgs, rows, strict=False):
        verdict = t("status.compliant" if org["compliant"] else "status.non_compliant", "zh")
        assert row.split()[0] == org["code"] and row.split()[-1] == verdict
        assert t(f"status.{org['implementation_plan']}", "zh") in row
    scenarios = json.loads(_run(home, "metrics", "--by", "scenario", "--as-of", AS_OF, "--json"))["rows"]
    first = _rows(_run(home, "--lang", "zh", "metrics", "--by", "scenario", "--as-of", AS_OF))[0]
    assert t(f"stage.{scenarios[0]['stage']}", "zh") in first.split()
    flags = json.loads(_run(home, "flags", "--json"))
    flag_rows = _rows(_run(home, "--lang", "zh", "flags"))
    assert len(flag_rows) == min(len(flags), 20)
    assert flags and all(
        t(f"rule.{f['rule']}.name", "zh") in row for f, row in zip(flags, flag_rows, strict=False)
    )


def test_shortfalls_read_in_chinese_through_the_catalog(home):
    orgs = json.loads(_run(home, "compliance", "--as-of", AS_OF, "--json"))["organizations"]
    short = next(o for o in orgs[:20] if o["shortfalls"])
    out = _run(home, "--lang", "zh", "compliance", "--as-of", AS_OF, "--wide")
    line = next(r for r in _rows(out) if r.split()[0] == short["code"])
    sentences = [describe(Shortfall.load(s), lambda key, **v: t(key, "zh", **v)) for s in short["shortfalls"]]
    assert "; ".join(sentences) in line
    assert short["problems"][0] not in line  # not the English prose of `problems`
    english = _run(home, "compliance", "--as-of", AS_OF, "--wide")
    assert "; ".join(short["problems"]) in next(r for r in _rows(english) if r.split()[0] == short["code"])


@pytest.mark.parametrize(("args", "_keys"), TABLES, ids=[" ".join(a[:3]) for a, _ in TABLES])
def test_english_is_the_default_and_json_is_the_same_in_both_languages(home, args, _keys):
    default = _run(home, *args, width=200)
    assert _run(home, "--lang", "en", *args, width=200).replace("--lang en ", "") == default
    assert not re.search(r"[\u4e00-\u9fff]", _header(default))  # (the registry's names may be Chinese)
    by_env = _run(home, *args, env={"ROBOTWORK_LANG": "zh"})
    assert _header(by_env) == _header(_run(home, "--lang", "zh", *args))
    assert json.loads(_run(home, "--lang", "zh", *args, "--json")) == json.loads(
        _run(home, "--lang", "en", *args, "--json")
    )
    assert _run(home, "--lang", "zh", *args, "--json") == _run(home, *args, "--json")


def test_an_unknown_language_is_a_usage_error(home):
    result = CliRunner().invoke(app, ["--home", str(home), "--lang", "fr", "flags"])
    assert result.exit_code == 2 and "fr" in result.output


def test_national_metrics_name_their_fields_as_the_dashboard(home):
    [row] = json.loads(_run(home, "metrics", "--as-of", AS_OF, "--json"))["rows"]
    out = _run(home, "--lang", "zh", "metrics", "--as-of", AS_OF)
    fields = dict(
        re.split(r"\s{3,}", line.strip(), maxsplit=1) for line in out.splitlines()[1:] if line.strip()
    )
    assert fields[t("national.routine", "zh")] == f"{row['robots_in_routine_operation']:,}"
    assert fields[t("national.flagged", "zh")] == f"{row['flagged_recordings']:,}"
    assert len(fields) == len(row) and not any(WORD.search(name) for name in fields)
    assert max(cell_len(line) for line in out.splitlines()) <= 80
