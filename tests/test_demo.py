"""`robotwork demo`: the whole program goes through the real importer, on each database."""

import json

from typer.testing import CliRunner

from robotwork.cli.app import app


def test_demo_builds_a_program_that_compliance_can_judge(db_url, tmp_path):
    def cli(*args: str):
        return CliRunner().invoke(app, ["--home", str(tmp_path), "--db", db_url, *args])

    first = cli("demo", "--seed", "3")
    assert first.exit_code == 0, first.output
    assert "scenarios:" in first.stderr
    again = cli("demo", "--seed", "3")
    sheets = [line for line in again.stderr.splitlines() if " rows (" in line]
    assert len(sheets) == 8 and all("(0 new, 0 updated" in line for line in sheets)  # deterministic
    out = json.loads(cli("compliance", "--json", "--as-of", "2026-11-25").stdout)
    provinces = [o for o in out["organizations"] if o["kind"] == "province"]
    assert len(provinces) == 31 and all(o["scenarios_counted"] > 0 for o in provinces)
    assert 18 <= sum(o["compliant"] for o in provinces) < 31
    assert any(len(o["domains_covered"]) < 2 and o["scenarios_counted"] >= 20 for o in provinces)
    assert any(o["implementation_plan"] == "late" for o in provinces)
    assert any(o["implementation_plan"] == "missing" for o in out["organizations"])
    soes = [o for o in out["organizations"] if o["kind"] == "central_soe" and o["scenarios_counted"]]
    assert len(soes) >= 20
    assert {d for o in out["organizations"] for d in o["domains_covered"]} == {
        "factory_warehouse", "service", "specialized"}
