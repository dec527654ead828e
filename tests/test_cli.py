"""The `robotwork` command: global options, exit codes, one-line errors, JSON contracts."""

import json

import pytest
from registry_docs import edited, province_program, write_json
from typer.testing import CliRunner

from robotwork.cli.app import app


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture
def cli(db_url, tmp_path):
    """Run robotwork against the test database of each kind."""

    def _run(*args: str):
        return run("--home", str(tmp_path / "home"), "--db", db_url, "--actor", "tester", *args)

    return _run


def test_home_holds_the_sqlite_registry(tmp_path):
    home = tmp_path / "data"
    result = run("--home", str(home), "compliance", "--json")
    assert result.exit_code == 0, result.output
    assert (home / "registry.sqlite").exists()
    env_home = tmp_path / "from-env"
    assert run("compliance", "--json", env={"ROBOTWORK_HOME": str(env_home)}).exit_code == 0
    assert (env_home / "registry.sqlite").exists()


def test_import_then_compliance(cli, tmp_path):
    path = write_json(province_program(), tmp_path / "gd.json")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().count("\n") == 0 and "imported, " in result.stderr
    out = json.loads(cli("compliance", "--json", "--as-of", "2026-11-25").stdout)
    assert out["as_of"] == "2026-11-25"
    assert set(out["policy"]) == {"name", "version"}
    assert set(out["summary"]) == {
        "provinces",
        "provinces_compliant",
        "central_soes",
        "central_soes_compliant",
    }
    gd = next(o for o in out["organizations"] if o["code"] == "CN-GD")
    assert {
        "code",
        "name",
        "kind",
        "scenarios_counted",
        "domains_covered",
        "quota_met",
        "implementation_plan",
        "progress_report",
        "declared_robots_in_operation",
        "compliant",
        "problems",
    } <= set(gd)
    assert gd["compliant"] is True and gd["kind"] == "province"
    first_compliant = [o["compliant"] for o in out["organizations"]].index(True)
    assert not any(o["compliant"] for o in out["organizations"][:first_compliant])
    one = json.loads(cli("compliance", "--json", "--org", "CN-GD").stdout)
    assert [o["code"] for o in one["organizations"]] == ["CN-GD"]


def test_rejected_import_exit_code_and_report(cli, tmp_path):
    path = write_json(
        edited(province_program(), "scenarios", 1, nominated_on="yesterday"), tmp_path / "bad.json"
    )
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert "scenarios row 2, column nominated_on: date 'yesterday' is not YYYY-MM-DD" in result.stdout
    assert result.stderr.strip().count("\n") == 0 and "nothing written" in result.stderr
    report = json.loads(cli("import", str(path), "--json").stdout)
    assert report["problems"][0] == {
        "sheet": "scenarios",
        "row": 2,
        "column": "nominated_on",
        "message": "date 'yesterday' is not YYYY-MM-DD",
    }
    partial = cli("import", str(path), "--partial", "--json")
    assert partial.exit_code == 1 and json.loads(partial.stdout)["written"] is True


def test_unreadable_file_is_one_line(cli, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{oops")
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}: not valid JSON") and result.stderr.count("\n") == 1


def test_bad_as_of_and_unknown_org(cli):
    assert cli("compliance", "--as-of", "Nov 30").exit_code == 1
    result = cli("compliance", "--org", "CN-XX")
    assert result.exit_code == 1 and "CN-XX" in result.stderr


def test_table_output_lists_days_left(cli):
    result = cli("compliance", "--as-of", "2026-11-25")
    assert result.exit_code == 0
    assert "progress report due 2026-11-30, 5 day(s) left" in result.stdout


def test_history_shows_an_update(cli, tmp_path):
    cli("import", str(write_json(province_program(), tmp_path / "a.json")))
    cli(
        "import",
        str(write_json(edited(province_program(), "sites", 0, city="Dongguan"), tmp_path / "b.json")),
    )
    rows = json.loads(cli("history", "--entity", "sites", "--key", "S-GD-1", "--json").stdout)
    assert [r["action"] for r in rows] == ["update", "create"]
    assert rows[0]["old"] == {"city": "Shenzhen"} and rows[0]["new"] == {"city": "Dongguan"}
    assert rows[0]["actor"] == "tester"


def test_policy_show_and_swap(tmp_path):
    shown = run("--home", str(tmp_path), "policy", "show")
    assert shown.exit_code == 0 and "min_scenarios = 20" in shown.stdout
    custom = tmp_path / "p.toml"
    custom.write_text(shown.stdout.replace("min_scenarios = 20", "min_scenarios = 25"))
    as_json = json.loads(
        run("--home", str(tmp_path), "--policy", str(custom), "policy", "show", "--json").stdout
    )
    assert as_json["quotas"]["province"]["min_scenarios"] == 25
    broken = tmp_path / "broken.toml"
    broken.write_text("[policy\n")
    result = run("--home", str(tmp_path), "--policy", str(broken), "policy", "show")
    assert result.exit_code == 1 and str(broken) in result.stderr
