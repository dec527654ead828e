"""The demo's operating data: readable in both encodings, deterministic, inside each robot's
working life, with the planted integrity cases where the spec's checks can find them."""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from mcap.reader import make_reader
from mcap_ros2.decoder import DecoderFactory

from robotwork.demo.behaviour import (
    SHANGHAI,
    Traits,
    assign_traits,
    first_day,
    scenario_targets,
    worked_days,
)
from robotwork.demo.program import build_program
from robotwork.demo.telemetry import (
    DemoRecording,
    FleetRobot,
    block_days,
    plan_fleet,
    write_demo_recordings,
)
from robotwork.ingest.readers import open_recording

TODAY = date(2026, 11, 20)
DAYS = 20
MINUTE = 60 * 10**9


def _midnight_ns(day: date) -> int:
    return int(datetime.combine(day, time(), SHANGHAI).timestamp()) * 10**9


@pytest.fixture(scope="module")
def program() -> dict:
    return build_program(seed=0)


@pytest.fixture(scope="module")
def fleet(program: dict) -> list[FleetRobot]:
    return plan_fleet(program)[:12]


@pytest.fixture(scope="module")
def written(fleet: list[FleetRobot], tmp_path_factory: pytest.TempPathFactory) -> list[DemoRecording]:
    out = tmp_path_factory.mktemp("demo")
    return write_demo_recordings(out, fleet, seed=1, today=TODAY, days=DAYS)


def _tables(path: Path) -> tuple[dict[str, pa.Table], dict[str, str]]:
    recording = open_recording(path)
    batches: dict[str, list[pa.RecordBatch]] = {}
    for batch in recording.batches():
        batches.setdefault(batch.table, []).append(batch.batch)
    return {name: pa.Table.from_batches(b) for name, b in batches.items()}, recording.identity


def _positions(table: pa.Table) -> np.ndarray:
    return np.stack(table.column("position").to_numpy(zero_copy_only=False))


def test_plan_fleet_takes_every_deployed_robot_from_the_program(program: dict) -> None:
    fleet = plan_fleet(program)
    assert len(fleet) == len({d["robot_serial"] for d in program["deployments"]})
    robot = fleet[0]
    deployment = next(d for d in program["deployments"] if d["robot_serial"] == robot.serial)
    site = next(s for s in program["sites"] if s["site_id"] == deployment["site_id"])
    scenario = next(s for s in program["scenarios"] if s["scenario_id"] == deployment["scenario_id"])
    assert (robot.site_id, robot.city, robot.deployed_from.isoformat()) == (
        site["site_id"],
        site["city"],
        deployment["start_date"],
    )
    assert robot.tasks == tuple(scenario["tasks"])


def test_targets_put_scenarios_on_every_rung_and_robots_on_every_level(program: dict) -> None:
    fleet = plan_fleet(program)
    targets = scenario_targets(fleet, 0)
    assert {t.stage for t in targets.values()} == {"nominated", "verified", "batch", "region"}
    assert any(t.high_value for t in targets.values())
    assert all(t.stage in ("batch", "region") for t in targets.values() if t.high_value)
    traits = assign_traits(fleet, 0)
    assert set(Counter(t.profile for t in traits.values())) == {
        "remote_piloted",
        "scripted",
        "supervised",
        "conditional",
        "high",
    }
    for scenario_id, target in targets.items():
        routine = [r for r in fleet if r.scenario_id == scenario_id and traits[r.serial].routine]
        if target.stage in ("batch", "region"):
            assert len(routine) >= 5
        elif target.stage == "verified":
            assert 1 <= len(routine) < 5


@pytest.mark.parametrize("size", [7, 14])  # weekly files (--full) and fortnightly ones (the default)
def test_routine_robots_work_enough_days_in_any_30_and_others_too_few(size: int) -> None:
    robot = FleetRobot("T-1", "Unitree H1", "SC-1", "ST-1", "Wuhan", date(2025, 1, 1), date(2026, 1, 1))
    blocks = block_days(date(2026, 6, 1), date(2026, 9, 1), size)
    for routine, bound in ((True, 20), (False, 10)):
        rng = random.Random(7)
        traits = Traits(routine, 0.9, "high")
        days = {d for b in blocks for d in worked_days(robot, traits, b, rng)}
        starts = [blocks[0][0] + timedelta(days=i) for i in range(60)]
        counts = [sum(s + timedelta(days=i) in days for i in range(30)) for s in starts]
        assert (min(counts) >= bound) if routine else (max(counts) <= bound)


def test_same_seed_same_bytes(fleet: list[FleetRobot], written: list[DemoRecording], tmp_path: Path) -> None:
    again = write_demo_recordings(tmp_path / "again", fleet, seed=1, today=TODAY, days=DAYS)
    assert [r.path.name for r in again] == [r.path.name for r in written]
    assert all(a.path.read_bytes() == b.path.read_bytes() for a, b in zip(again, written, strict=True))
    other = write_demo_recordings(tmp_path / "other", fleet[:2], seed=2, today=TODAY, days=DAYS)
    assert other[0].path.read_bytes() != written[0].path.read_bytes()


def test_recordings_stream_in_both_encodings(fleet: list[FleetRobot], written: list[DemoRecording]) -> None:
    assert Counter(r.encoding for r in written if r.planted is None).keys() == {"ros2msg", "json"}
    tasks = {r.serial: set(r.tasks) for r in fleet}
    for rec in written:
        tables, identity = _tables(rec.path)
        assert identity["robot_serial"] == rec.serial
        assert identity["site_id"] == next(r.site_id for r in fleet if r.serial == rec.serial)
        assert set(tables) >= {"joint_states", "joint_commands", "control_mode", "tasks"}
        assert tables["joint_states"].column("time_ns")[0].as_py() >= rec.start_ns
        assert max(t.column("time_ns").to_numpy().max() for t in tables.values()) == rec.end_ns
        if rec.planted != "copy":
            assert set(tables["tasks"].column("task").to_pylist()) <= tasks[rec.serial]


def test_times_fall_in_each_robots_working_life(
    fleet: list[FleetRobot], written: list[DemoRecording]
) -> None:
    robots = {r.serial: r for r in fleet}
    window = _midnight_ns(TODAY - timedelta(days=DAYS))
    for rec in written:
        assert max(window, _midnight_ns(first_day(robots[rec.serial]))) <= rec.start_ns
        assert rec.end_ns < _midnight_ns(TODAY)


def test_recordings_of_one_robot_never_overlap(written: list[DemoRecording]) -> None:
    by_robot: dict[str, list[DemoRecording]] = {}
    for rec in written:
        by_robot.setdefault(rec.serial, []).append(rec)
    for recs in by_robot.values():
        recs.sort(key=lambda r: r.start_ns)
        assert all(a.end_ns < b.start_ns for a, b in pairwise(recs))


def test_minutes_inside_operating_segments_hold_two_samples_that_move(written: list[DemoRecording]) -> None:
    for rec in [
        next(r for r in written if r.planted is None and r.encoding == e) for e in ("ros2msg", "json")
    ]:
        tables, _ = _tables(rec.path)
        minute = tables["joint_states"].column("time_ns").to_numpy() // MINUTE
        position = _positions(tables["joint_states"])
        changes = tables["control_mode"].column("time_ns").to_pylist() + [rec.end_ns]
        modes = tables["control_mode"].column("mode").to_pylist()
        inside = [
            m
            for start, end, mode in zip(changes, changes[1:], modes, strict=False)
            if mode in ("autonomous", "teleoperated", "scripted")
            for m in range(-(-start // MINUTE), end // MINUTE)
        ]
        assert len(inside) > 120  # hours of operating time
        for m in inside:
            samples = position[minute == m]
            assert len(samples) >= 2 and np.ptp(samples, axis=0).max() > 0.001


def test_every_planted_case_is_there_once(written: list[DemoRecording]) -> None:
    assert Counter(r.planted for r in written if r.planted) == {"copy": 1, "replay": 1, "static": 1}


def test_static_robot_claims_autonomy_without_moving(written: list[DemoRecording]) -> None:
    rec = next(r for r in written if r.planted == "static")
    tables, _ = _tables(rec.path)
    position = _positions(tables["joint_states"])
    assert (position == position[0]).all()
    modes = Counter(tables["control_mode"].column("mode").to_pylist())
    assert set(modes) <= {"autonomous", "idle"} and modes["autonomous"]
    assert (rec.end_ns - rec.start_ns) > 2 * 3600 * 10**9


def test_replay_repeats_an_earlier_week_whole_days_later(written: list[DemoRecording]) -> None:
    replay = next(r for r in written if r.planted == "replay")
    original = next(
        r
        for r in written
        if r.serial == replay.serial
        and r.planted is None
        and (replay.start_ns - r.start_ns) % (86_400 * 10**9) == 0
        and r.start_ns < replay.start_ns
    )
    shifted, _ = _tables(replay.path)
    earlier, _ = _tables(original.path)
    delta = replay.start_ns - original.start_ns
    for table in ("joint_states", "tasks", "control_mode"):
        assert shifted[table].drop(["time_ns"]).equals(earlier[table].drop(["time_ns"]))
        assert (
            shifted[table].column("time_ns").to_numpy() == earlier[table].column("time_ns").to_numpy() + delta
        ).all()


def test_copy_is_another_robots_week_under_a_new_serial(written: list[DemoRecording]) -> None:
    copy = next(r for r in written if r.planted == "copy")
    source = next(
        r for r in written if r.planted is None and r.start_ns == copy.start_ns and r.end_ns == copy.end_ns
    )
    assert source.serial != copy.serial
    copied, identity = _tables(copy.path)
    original, _ = _tables(source.path)
    assert identity["robot_serial"] == copy.serial
    assert all(copied[t].equals(original[t]) for t in original)


def test_cdr_recordings_decode_with_the_ros2_library(written: list[DemoRecording]) -> None:
    """The spliced CDR is what ROS 2 tools read: stamps equal log times, values survive."""
    rec = next(r for r in written if r.encoding == "ros2msg")
    tables, _ = _tables(rec.path)
    with rec.path.open("rb") as stream:
        reader = make_reader(stream, decoder_factories=[DecoderFactory()])
        decoded = [(m.log_time, d) for _, _, m, d in reader.iter_decoded_messages(topics=["/joint_states"])]
    assert len(decoded) == tables["joint_states"].num_rows
    log_time, first = decoded[0]
    assert first.header.stamp.sec * 10**9 + first.header.stamp.nanosec == log_time
    assert list(first.position) == _positions(tables["joint_states"])[0].tolist()
    assert len(first.name) == len(first.velocity) == len(first.effort) == len(first.position)


def test_each_model_needs_fewer_interventions_as_its_harvest_grows(program: dict) -> None:
    from robotwork.demo.behaviour import learning, learning_rate

    models = sorted({str(r["model"]) for r in program["robots"]})
    assert len({learning_rate(m) for m in models}) >= 3  # models learn at different rates
    for model in models:
        curve = [learning(model, hours) for hours in (0, 100, 1_000, 5_000)]
        assert curve[0] == 1.0 and all(a > b for a, b in pairwise(curve)) and curve[-1] > 0.2


def test_without_a_terminal_progress_is_plain_lines_with_counts(capsys: pytest.CaptureFixture[str]) -> None:
    from robotwork.cli.demo_cmd import _progress

    with _progress("recordings") as on_file:
        on_file(0, 40)
        on_file(40, 40)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split()[0] for line in lines] == ["0/40", "40/40"] and "elapsed" in lines[-1]
