"""Two and four processes ingesting the same file at once: one recording, all its rows, its
evidence, on SQLite and on PostgreSQL; and a process killed at every step, finished by a rerun or
by `--resume` with exactly the figures of an uninterrupted run."""

import random
from datetime import datetime
from pathlib import Path

import pytest
from ingest_procs import prepare, recording, run_processes, snapshot
from recordings import write_json_mcap
from sqlalchemy.orm import Session
from workdays import days_back, workdays

from robotwork.ingest import jobs
from robotwork.ingest.pipeline import content_hash
from robotwork.intake import STEPS
from robotwork.registry.db import open_registry
from robotwork.registry.models import Flag, Recording
from robotwork.store.telemetry import TelemetryStore

TRIALS = 20


def test_the_same_file_from_many_processes_is_stored_once(db_url: str, tmp_path: Path) -> None:
    home = prepare(db_url, str(tmp_path / "telemetry"))
    chance = random.Random(11)
    engine = open_registry(db_url)
    store = TelemetryStore(home.store_root)
    for trial in range(TRIALS):
        path = recording(tmp_path, trial, states=3_000 + 100 * trial)
        processes = 2 if trial % 2 else 4
        statuses = run_processes(home, path, [chance.uniform(0, 0.4) for _ in range(processes)])

        assert sorted(statuses) == ["duplicate"] * (processes - 1) + ["ingested"], (trial, statuses)
        state = snapshot(engine, store)
        assert len(state["recordings"]) == trial + 1
        assert all(j[1] == jobs.COUNTED and j[2] is None for j in state["jobs"])
        with Session(engine) as session:
            rows = {r.recording_id: r.rows["joint_states"] for r in session.query(Recording)}
        assert state["stored_rows"] == {rid: n + sum_other(state, rid) for rid, n in rows.items()}
        assert state["n_days"] >= trial + 1  # every recording has its evidence
    engine.dispose()


def sum_other(state: dict, rid: str) -> int:
    """Rows of a recording's tables other than joint_states, as its registry row lists them."""
    return sum(n for table, n in state["recordings"][rid][2].items() if table != "joint_states")


KILL_POINTS = [*STEPS, "writing"]


@pytest.mark.parametrize("finish", ["rerun", "resume"])
def test_a_kill_at_any_point_is_finished_with_the_figures_of_a_clean_run(
    db_url: str, tmp_path: Path, finish: str
) -> None:
    clean = prepare(f"sqlite:///{tmp_path / 'clean.sqlite'}", str(tmp_path / "clean"))
    home = prepare(db_url, str(tmp_path / "telemetry"))
    paths = [recording(tmp_path, seed, states=12_000) for seed in range(len(KILL_POINTS) + 3)]
    chance = random.Random(5 if finish == "rerun" else 6)
    intake = home.intake()
    for path, point in zip(paths, [*KILL_POINTS, None, None, None], strict=True):
        if point is None:  # a kill at a random moment
            run_processes(home, path, [0.0], kill_after=chance.uniform(0.05, 1.5))
        else:
            assert run_processes(home, path, [0.0], kill_at=point) == []
        if finish == "rerun":
            assert intake.take(path).status in ("ingested", "duplicate")
        else:  # what got as far as a job is finished by --resume; before that, nothing was kept
            had_job = jobs.read(intake.engine, content_hash(path)) is not None
            assert all(r.status == "ingested" for r in intake.resume())
            assert intake.take(path).status == ("duplicate" if had_job else "ingested")
        assert clean.intake().take(path).status == "ingested"

    killed = snapshot(intake.engine, intake.store)
    reference = snapshot(open_registry(clean.db_url), TelemetryStore(clean.store_root))
    assert len(killed["recordings"]) == len(paths)
    for key in ("recordings", "days", "episodes", "flags", "stored_rows", "figures"):
        assert killed[key] == reference[key], key


def test_a_replay_is_caught_by_a_process_that_started_before_its_original(
    db_url: str, tmp_path: Path
) -> None:

    home = prepare(db_url, str(tmp_path / "telemetry"))
    first, second = home.intake(), home.intake()  # two processes' worth: an index each
    days = days_back(datetime(2026, 11, 20).date(), 3)
    other = workdays("R-GD-1", days[:1], seed=7)
    original = workdays("R-GD-1", days[1:2], seed=1)
    replay = workdays("R-GD-1", days[1:2], seed=1)
    replay.joint_states = replay.joint_states[len(replay.joint_states) // 3 :]
    for sample in replay.joint_states:
        sample.time_ns += 86_400 * 10**9  # the same motion sent again a day later
    replay.events = workdays("R-GD-1", days[2:], seed=9).events
    paths = [
        write_json_mcap(tmp_path / f"{n}.mcap", c)
        for n, c in [("other", other), ("original", original), ("replay", replay)]
    ]

    assert first.take(paths[0]).status == "ingested"  # the first process's index is loaded now
    assert second.take(paths[1]).status == "ingested"  # the original, taken in by the other one
    taken = first.take(paths[2])
    assert taken.status == "ingested"
    with Session(first.engine) as session:
        rules = {(f.recording_id, f.rule) for f in session.query(Flag)}
    assert (taken.recording_id, "replay") in rules
