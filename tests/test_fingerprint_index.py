"""Replay detection's fingerprints as registry rows: written with the recording's evidence, gone
with the recording, and the Parquet files of a store from before revision 0011 moved in by
`doctor` (then a replay of such a recording is caught as before)."""

from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from ingest_procs import prepare
from recordings import write_json_mcap
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from workdays import days_back, workdays

from robotwork.evidence import fingerprint_index
from robotwork.ingest.doctor import checkup
from robotwork.registry.models import Flag, Recording


def _paths(tmp_path: Path) -> list[Path]:
    """An original recording and its replay a day later (a later part of the same motion)."""
    days = days_back(datetime(2026, 11, 20).date(), 3)
    original = workdays("R-GD-1", days[1:2], seed=1)
    replay = workdays("R-GD-1", days[1:2], seed=1)
    replay.joint_states = replay.joint_states[len(replay.joint_states) // 3 :]
    for sample in replay.joint_states:
        sample.time_ns += 86_400 * 10**9
    replay.events = workdays("R-GD-1", days[2:], seed=9).events
    return [
        write_json_mcap(tmp_path / f"{n}.mcap", c) for n, c in [("original", original), ("replay", replay)]
    ]


def _held(engine, recording_id: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        found = session.scalars(
            select(fingerprint_index.rows.c.fp).where(fingerprint_index.rows.c.recording_id == recording_id)
        )
        return np.array(sorted(found), np.int64)


def test_fingerprints_are_rows_and_go_with_their_recording(db_url: str, tmp_path: Path) -> None:
    home = prepare(db_url, str(tmp_path / "telemetry"))
    intake = home.intake()
    original, replay = (intake.take(p) for p in _paths(tmp_path))
    held = _held(intake.engine, original.recording_id)
    assert held.size > 10 and (held >= 0).all()
    with Session(intake.engine) as session:
        shared = fingerprint_index.shared_counts(
            session, held.astype(np.uint64), excluding=original.recording_id
        )
        assert shared[replay.recording_id] == _held(intake.engine, replay.recording_id).size
        assert original.recording_id not in shared
        session.execute(delete(Recording).where(Recording.recording_id == replay.recording_id))
        session.commit()
    assert _held(intake.engine, replay.recording_id).size == 0  # ON DELETE CASCADE


def test_doctor_moves_fingerprint_files_of_an_older_store_in(db_url: str, tmp_path: Path) -> None:
    home = prepare(db_url, str(tmp_path / "telemetry"))
    intake = home.intake()
    original_path, replay_path = _paths(tmp_path)
    original = intake.take(original_path)
    engine, store = intake.engine, intake.store
    values = _held(engine, original.recording_id).astype(np.uint64)
    # the store as revision 0005 left it: the fingerprints in a Parquet file, none in the registry
    with Session(engine) as session:
        session.execute(delete(fingerprint_index.rows))
        session.commit()
    folder = Path(home.store_root) / fingerprint_index.OLD_FOLDER
    folder.mkdir(parents=True)
    pq.write_table(
        pa.table({"fp": pa.array(values, pa.uint64())}), folder / f"{original.recording_id}.parquet"
    )
    pq.write_table(pa.table({"fp": pa.array(values[:5], pa.uint64())}), folder / f"{'0' * 64}.parquet")

    report = checkup(engine, store, repair=True)

    assert "moved the fingerprints of 1 recording(s) into the registry" in report.done
    assert (_held(engine, original.recording_id) == values.astype(np.int64)).all()
    assert not list(folder.glob("*.parquet"))  # both gone: one moved in, one of no recording
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(fingerprint_index.rows)) == values.size
    replay = home.intake().take(replay_path)
    with Session(engine) as session:
        rules = {(f.recording_id, f.rule) for f in session.query(Flag)}
    assert (replay.recording_id, "replay") in rules
