"""Evidence end to end: recordings in, verified figures out, on SQLite + a local folder and on
PostgreSQL + S3 + Ray."""

import json
from datetime import date

import pytest
from recordings import write_json_mcap, write_ros2_mcap
from registry_docs import gd_fleet, write_json
from typer.testing import CliRunner
from workdays import days_back, workdays

from robotwork.cli.app import app

AS_OF = date(2026, 11, 20)


def fleet_program() -> dict:
    """CN-GD: R-GD-1..5 on SC-GD-000 at three sites in two cities, the others on SC-GD-001."""
    return gd_fleet(6)


@pytest.fixture
def cli(db_url, tmp_path, request):
    """The CLI on SQLite + a local folder, and on PostgreSQL + S3 (SeaweedFS) with ingest and
    rebuild as Ray tasks: the same assertions hold on both, so the figures are identical."""
    scale = db_url.startswith("postgresql")
    store = ["--store", request.getfixturevalue("s3_root")] if scale else []
    if scale:
        request.getfixturevalue("ray_local")

    def _run(*args: str):
        ray = ["--ray"] if scale and args[0] in ("ingest", "rebuild") else []
        options = ["--home", str(tmp_path / "home"), "--db", db_url, *store, "--actor", "reviewer"]
        return CliRunner().invoke(app, [*options, *args, *ray])

    assert _run("import", str(write_json(fleet_program(), tmp_path / "fleet.json"))).exit_code == 0
    return _run


def rows(cli, by: str) -> list[dict]:
    result = cli("metrics", "--by", by, "--as-of", AS_OF.isoformat(), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["window"] == {"from": "2026-10-22", "to": "2026-11-20"} and doc["as_of"] == "2026-11-20"
    return doc["rows"]


def ingest(cli, *paths) -> list[str]:
    result = cli("ingest", *map(str, paths), "--json")
    assert result.exit_code == 0, result.output
    return [json.loads(line)["recording_id"] for line in result.stdout.splitlines()]


def test_figures_from_a_fleet(cli, tmp_path):
    files = [
        write_json_mcap(tmp_path / f"r{i}.mcap", workdays(f"R-GD-{i}", days_back(AS_OF, 15), seed=i))
        for i in range(1, 6)
    ]
    files.append(
        write_ros2_mcap(
            tmp_path / "r6.mcap",
            workdays("R-GD-6", days_back(AS_OF, 14), seed=6, mode="teleoperated", takeovers_per_day=0),
        )
    )
    ingest(cli, *files)
    robots = {r["robot_serial"]: r for r in rows(cli, "robot")}
    r1 = robots["R-GD-1"]
    assert r1["operating_hours"] == pytest.approx(37.5) and r1["autonomous_hours"] == pytest.approx(37.5)
    assert r1["worked_days"] == 15 and r1["in_routine_operation"] is True
    assert r1["autonomy_level"] == "L4" and r1["mtbi_hours"] is None and r1["interventions"] == 0
    assert r1["tasks_succeeded"] == 15 * 14 and r1["success_rate"] == 1.0 and r1["flagged"] is False
    r6 = robots["R-GD-6"]
    assert r6["worked_days"] == 14 and r6["in_routine_operation"] is False
    assert r6["teleoperated_hours"] == pytest.approx(35.0) and r6["autonomy_level"] == "L0"
    scenarios = {s["scenario_id"]: s for s in rows(cli, "scenario")}
    s0 = scenarios["SC-GD-000"]
    assert (s0["stage"], s0["high_value"], s0["robots_in_routine_operation"]) == ("region", True, 5)
    assert s0["sites_in_routine_operation"] == 3 and s0["cities"] == ["Guangzhou", "Shenzhen"]
    assert scenarios["SC-GD-001"]["stage"] == "nominated"
    assert "none in routine operation" in scenarios["SC-GD-001"]["missing_for_next_stage"][0]
    gd = next(r for r in rows(cli, "province") if r["code"] == "CN-GD")
    assert gd["robots_in_routine_operation"] == 5 and gd["high_value_applications"] == 1
    assert gd["stages"] == {"nominated": 19, "verified": 0, "batch": 0, "region": 1}
    assert gd["declared_robots_in_operation"] == 60
    [national] = rows(cli, "national")
    assert national["robots_in_routine_operation"] == 5 and national["target_robots"] == 10000
    assert national["high_value_applications"] == 1 and national["target_high_value_applications"] == 100
    assert national["autonomy_levels"] == {"L0": 1, "L1": 0, "L2": 0, "L3": 0, "L4": 5}
    assert national["recordings"] == 6 and national["flagged_recordings"] == 0
    assert national["operating_hours"] == pytest.approx(5 * 37.5 + 35.0)
    compliance = json.loads(cli("compliance", "--as-of", AS_OF.isoformat(), "--json").stdout)
    org = next(o for o in compliance["organizations"] if o["code"] == "CN-GD")
    assert org["verified_robots_in_routine_operation"] == 5 and org["declared_robots_in_operation"] == 60
    assert compliance["national"]["robots_in_routine_operation"] == 5
    before = {by: rows(cli, by) for by in ("robot", "scenario", "province", "national")}
    assert cli("rebuild").exit_code == 0
    assert {by: rows(cli, by) for by in before} == before


def test_a_later_window_forgets_old_work(cli, tmp_path):
    ingest(cli, write_json_mcap(tmp_path / "r.mcap", workdays("R-GD-1", days_back(AS_OF, 15))))
    later = cli("metrics", "--by", "robot", "--as-of", "2026-12-25", "--json")
    r1 = next(r for r in json.loads(later.stdout)["rows"] if r["robot_serial"] == "R-GD-1")
    assert r1["operating_hours"] == 0 and r1["autonomy_level"] is None and not r1["in_routine_operation"]


def flags(cli) -> dict[str, dict]:
    out = json.loads(cli("flags", "list", "--all", "--json").stdout)
    return {f"{f['robot_serial']}:{f['rule']}": f for f in out}


def test_integrity_rules_and_clearing(cli, tmp_path):
    days = days_back(AS_OF, 2)
    original = workdays("R-GD-1", days[:1], seed=1)
    copy = workdays("R-GD-2", days[:1], seed=1)  # same content, another serial
    half = workdays("R-GD-1", days[:1], seed=1)
    half.joint_states = half.joint_states[len(half.joint_states) // 3 :]
    for sample in half.joint_states:
        sample.time_ns += 86_400 * 10**9  # replayed a day later
    half.events = [e for e in workdays("R-GD-1", days[1:], seed=9).events]
    static = workdays("R-GD-3", days[:1], static=True)
    whole = workdays("R-GD-5", days[:1], seed=1, shift_ns=0)
    for item in [*whole.joint_states, *whole.events]:
        item.time_ns += 3 * 86_400 * 10**9  # R-GD-1's day sent again under R-GD-5, 3 days on
    overlapping = workdays("R-GD-1", days[:1], seed=5, shift_ns=3600 * 10**9)
    honest = workdays("R-GD-4", days[:1], seed=4)  # same scripted motion, its own sensor noise
    paths = [
        write_json_mcap(tmp_path / f"{n}.mcap", c)
        for n, c in [
            ("original", original),
            ("copy", copy),
            ("replay", half),
            ("static", static),
            ("whole", whole),
            ("overlap", overlapping),
            ("honest", honest),
        ]
    ]
    for path in paths:  # one at a time: which of two copies came first decides the flags
        ingest(cli, path)
    found = flags(cli)
    assert set(found) == {
        "R-GD-2:duplicate_content",
        "R-GD-1:replay",
        "R-GD-3:static",
        "R-GD-1:overlap",
        "R-GD-5:replay",
    }
    assert found["R-GD-1:replay"]["evidence"]["share"] >= 0.5
    assert found["R-GD-5:replay"]["evidence"]["whole"] is True
    assert found["R-GD-5:replay"]["evidence"]["shifted_by_seconds"] == 3 * 86_400
    assert found["R-GD-3:static"]["evidence"]["moving_share"] == 0
    assert found["R-GD-1:overlap"]["recording_id"] != found["R-GD-1:replay"]["recording_id"]
    robots = {r["robot_serial"]: r for r in rows(cli, "robot")}
    assert robots["R-GD-2"]["operating_hours"] == 0 and robots["R-GD-2"]["flagged"] is True
    assert robots["R-GD-4"]["operating_hours"] == pytest.approx(2.5) and not robots["R-GD-4"]["flagged"]
    assert rows(cli, "national")[0]["flagged_recordings"] == 5
    flag_id = str(found["R-GD-2:duplicate_content"]["id"])
    assert cli("flags", "clear", flag_id, "--reason", "").exit_code == 1
    assert cli("flags", "clear", flag_id, "--reason", "two robots, one demo script").exit_code == 0
    assert next(r for r in rows(cli, "robot") if r["robot_serial"] == "R-GD-2")["operating_hours"] == 2.5
    history = json.loads(cli("history", "--entity", "flags", "--json").stdout)
    assert history[0]["action"] == "clear" and history[0]["actor"] == "reviewer"
    assert history[0]["new"]["reason"] == "two robots, one demo script"
    assert cli("rebuild").exit_code == 0
    after = flags(cli)
    assert set(after) == set(found) and after["R-GD-2:duplicate_content"]["cleared_by"] == "reviewer"


def test_assist_is_counted_but_not_in_the_rate(cli, tmp_path):
    from recordings import intervention

    c = workdays("R-GD-1", days_back(AS_OF, 1), takeovers_per_day=2)
    day_start = c.events[0].time_ns
    c.events += [
        intervention(day_start + 60 * 10**9, "assist", "system", "door"),
        intervention(day_start + 120 * 10**9, "estop", "onsite_operator", "person near"),
    ]
    ingest(cli, write_json_mcap(tmp_path / "r.mcap", c))
    r1 = next(r for r in rows(cli, "robot") if r["robot_serial"] == "R-GD-1")
    assert (r1["interventions"], r1["assists"]) == (3, 1)
    assert r1["interventions_per_hour"] == pytest.approx(3 / 2.5, abs=1e-4)
    assert r1["mtbi_hours"] == pytest.approx(2.5 / 3, abs=1e-4)
