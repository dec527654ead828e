"""`robotwork demo`: the whole program goes through the real importer, on each database."""

import json
import re
from pathlib import Path

from sqlalchemy import create_engine
from typer.testing import CliRunner

from robotwork.access import read_scope
from robotwork.accounts import principal_of_user
from robotwork.cli.app import app


def test_demo_builds_a_program_that_compliance_can_judge(db_url, tmp_path):
    def cli(*args: str):
        return CliRunner().invoke(app, ["--home", str(tmp_path), "--db", db_url, *args])

    first = cli("demo", "--seed", "3", "--no-telemetry")
    assert first.exit_code == 0, first.output
    assert "scenarios:" in first.stderr
    team = re.search(r"algorithm-team / algorithm-team-demo  \(algorithm_team, (\S+)\)", first.stderr)
    token = re.search(r"device token for robot (\S+):", first.stderr)
    assert team and token, first.stderr
    engine = create_engine(db_url)
    scope = read_scope(engine, principal_of_user(engine, "algorithm-team"))
    engine.dispose()
    assert token.group(1) in (scope.robots or ())  # the team reads the robots of the member's consortium
    again = cli("demo", "--seed", "3", "--no-telemetry")
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
        "factory_warehouse",
        "service",
        "specialized",
    }


def test_demo_operating_data_lands_on_its_stages_with_planted_cases(tmp_path, policy):
    """A slice of the demo fleet (two scenarios) through the real intake, on SQLite."""
    from datetime import date

    from robotwork.datasets.manifest import list_datasets
    from robotwork.demo.loader import export_demo_dataset, load_demo_program, load_demo_telemetry
    from robotwork.evidence.metrics import metrics
    from robotwork.registry.db import open_registry, sqlite_url
    from robotwork.store.telemetry import TelemetryStore

    engine = open_registry(sqlite_url(tmp_path))
    program, _ = load_demo_program(engine, policy, seed=0, actor="demo")
    keep = {"SC-CREC-0008", "SC-AH-0027"}
    sliced = dict(program, deployments=[d for d in program["deployments"] if d["scenario_id"] in keep])
    store = TelemetryStore(str(tmp_path / "telemetry"))
    lines = load_demo_telemetry(
        engine, store, policy, sliced, folder=tmp_path / "rec", seed=0, today=date(2026, 11, 25), actor="demo"
    )
    assert "planted integrity cases: copy, replay, static" in lines[0]
    rows = {r["scenario_id"]: r for r in metrics(engine, policy, date(2026, 11, 24), "scenario")["rows"]}
    assert (rows["SC-CREC-0008"]["stage"], rows["SC-CREC-0008"]["high_value"]) == ("region", True)
    assert rows["SC-AH-0027"]["stage"] == "batch"
    national = metrics(engine, policy, date(2026, 11, 24), "national")["rows"][0]
    assert national["flagged_recordings"] == 3
    robots = metrics(engine, policy, date(2026, 11, 24), "robot")["rows"]
    assert len({r["autonomy_level"] for r in robots if r["operating_hours"]}) >= 3
    [line] = export_demo_dataset(engine, store, policy, tmp_path / "datasets", actor="demo")
    [dataset] = list_datasets(engine)
    assert (
        dataset["scenario_ids"][0] in keep and dataset["episodes"] > 10 and Path(dataset["path"]).name in line
    )
    assert (tmp_path / "datasets" / Path(dataset["path"]).name / "meta/info.json").is_file()
    assert (
        "is there already"
        in export_demo_dataset(engine, store, policy, tmp_path / "datasets", actor="demo")[0]
    )
