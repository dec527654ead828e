"""Evidence of one recording: batching, content digest, replay fingerprints, a real MCAP file."""

import json

import numpy as np
import pyarrow as pa
from recordings import control_mode, intervention, synthetic_content, task, write_json_mcap
from test_evidence_recording import MIN, POLICY, T0, S, interventions, joint_batch, modes, tasks

from robotwork.evidence import replay_overlap, summarize
from robotwork.ingest.readers import open_recording
from robotwork.store.schema import JOINT_STATES, TableBatch

HOUR = 3600 * S


def trajectory(seconds: int = 3600, hz: int = 10, joints: int = 7) -> np.ndarray:
    """A smooth scripted motion: every joint swings slowly, at its own period."""
    t = np.arange(seconds * hz)[:, None] / hz
    return np.sin(2 * np.pi * t / (30 + 7 * np.arange(joints)) + np.arange(joints))


def times(rows: int, start_ns: int = T0, hz: int = 10) -> np.ndarray:
    return start_ns + np.arange(rows, dtype=np.int64) * (S // hz)


def fingerprints(start_ns: int, positions: np.ndarray) -> np.ndarray:
    return summarize([joint_batch(times(len(positions), start_ns), positions)], POLICY).fingerprints


def rebatched(batch: TableBatch, rows: int) -> list[TableBatch]:
    table = pa.Table.from_batches([batch.batch])
    return [TableBatch(batch.table, b) for b in table.to_batches(max_chunksize=rows)]


def test_batches_of_7_rows_give_the_same_evidence_as_one_batch():
    rng = np.random.default_rng(3)
    positions = trajectory(300, hz=2) + rng.normal(0, 1e-4, (600, 7))
    positions[240:360] = positions[240]  # minute 2 stands still
    joints = joint_batch(times(600, hz=2), positions)
    others = [
        modes((T0, "autonomous")),
        tasks((T0, "start"), (T0 + 4 * MIN, "success")),
        interventions((T0 + MIN, "correction")),
    ]
    whole = summarize([joints, *others], POLICY)
    pieces = summarize([*rebatched(joints, 7), *others], POLICY)
    assert whole.to_json() == pieces.to_json()
    assert np.array_equal(whole.fingerprints, pieces.fingerprints) and whole.fingerprints.size
    assert np.array_equal(whole.moving_minutes, pieces.moving_minutes)
    assert (whole.moving_samples, whole.samples) == (480, 600)


def test_content_digest_ignores_time_and_sees_values():
    positions = trajectory(60)
    digest = summarize([joint_batch(times(600), positions)], POLICY).content_digest
    shifted = summarize([joint_batch(times(600, T0 + 5 * HOUR + 123), positions)], POLICY)
    changed = positions.copy()
    changed[300, 2] += 1e-9
    other = summarize([joint_batch(times(600), changed)], POLICY)
    assert digest == shifted.content_digest and len(digest) == 64
    assert other.content_digest != digest


def test_a_replay_shifted_by_an_hour_is_recognised():
    positions = trajectory()
    original = fingerprints(T0, positions)
    assert 1_000 < original.size < 10_000
    assert replay_overlap(fingerprints(T0 + HOUR, positions), original) >= 0.9
    assert replay_overlap(fingerprints(T0 + 97 * S + 31, positions), original) >= 0.9


def test_the_second_half_replayed_is_recognised():
    positions = trajectory()
    original = fingerprints(T0, positions)
    replay = fingerprints(T0 + 30 * HOUR, positions[len(positions) // 2 :])
    assert replay_overlap(replay, original) >= 0.5


def test_two_noisy_recordings_of_the_same_task_are_not_replays():
    rng = np.random.default_rng(7)
    a = fingerprints(T0, trajectory() + rng.normal(0, 1e-4, trajectory().shape))
    b = fingerprints(T0 + 24 * HOUR, trajectory() + rng.normal(0, 1e-4, trajectory().shape))
    assert replay_overlap(a, b) < 0.05 and replay_overlap(b, a) < 0.05


def test_a_static_robot_has_no_fingerprints():
    still = np.tile(trajectory(1)[0], (6000, 1))
    ev = summarize([joint_batch(times(6000), still)], POLICY)
    assert ev.fingerprints.size == 0 and ev.moving_samples == 0 and ev.samples == 6000


def test_evidence_of_a_real_mcap_file(tmp_path):
    content = synthetic_content(states=1200, joints=7, rate_hz=10, start_ns=T0, commands=True, events=False)
    content.events = [
        control_mode(T0, "teleoperated", "op-7"),
        task(T0 + S, "start", "pick"),
        intervention(T0 + 30 * S, "takeover", "remote_operator", "slip"),
        control_mode(T0 + 60 * S, "autonomous"),
        task(T0 + 100 * S, "success"),
        task(T0 + 110 * S, "start", "place"),
    ]
    path = write_json_mcap(tmp_path / "r.mcap", content)
    ev = summarize(open_recording(path).batches(batch_rows=100), POLICY)
    positions = np.array([sample.position for sample in content.joint_states])
    in_memory = summarize([joint_batch(times(1200), positions)], POLICY)
    assert ev.content_digest == in_memory.content_digest
    assert np.array_equal(ev.fingerprints, in_memory.fingerprints)
    assert ev.end_ns == content.messages()[-1][0]
    assert [(e.task, e.outcome) for e in ev.episodes] == [("pick", "success"), ("place", "incomplete")]
    assert ev.episodes[0].mode_seconds == {"teleoperated": 59.0, "autonomous": 40.0}
    assert [(i.kind, i.initiated_by, i.mode) for i in ev.interventions] == [
        ("takeover", "remote_operator", "teleoperated")
    ]
    [day] = ev.days
    assert day.operating_s == day.claimed_operating_s > 0
    assert (day.tasks_started, day.tasks_succeeded, day.tasks_incomplete) == (2, 1, 1)
    assert ev.to_json()["fingerprints"] == ev.fingerprints.size


def test_plain_list_positions_read_like_fixed_size_ones():
    fixed = joint_batch(times(600), trajectory(60))
    column = fixed.batch.column("position")
    plain = column.cast(pa.list_(pa.float64()))
    batch = pa.RecordBatch.from_arrays([fixed.batch.column("time_ns"), plain], names=["time_ns", "position"])
    a = summarize([fixed], POLICY)
    b = summarize([TableBatch(JOINT_STATES, batch)], POLICY)
    assert json.dumps(a.to_json()) == json.dumps(b.to_json())
    assert np.array_equal(a.fingerprints, b.fingerprints)
