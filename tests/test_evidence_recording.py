"""Evidence of one recording: each definition of operating-data.md at its edges."""

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime

import numpy as np
import pyarrow as pa
import pytest

from robotwork.evidence import EvidenceError, RecordingEvidence, summarize
from robotwork.policy import load_policy
from robotwork.store.schema import (
    CONTROL_MODE,
    EVENT_SCHEMAS,
    INTERVENTIONS,
    JOINT_STATES,
    TASKS,
    TableBatch,
    joint_schema,
)

POLICY = load_policy()
S = 10**9
MIN = 60 * S
T0 = int(datetime(2026, 9, 1, tzinfo=UTC).timestamp()) * S  # 08:00 in Asia/Shanghai
DAY = date(2026, 9, 1)


def joint_batch(times: np.ndarray, positions: np.ndarray) -> TableBatch:
    """A joint_states batch of the store's schema (velocity and effort null)."""
    rows, joints = positions.shape
    vec = pa.FixedSizeListArray.from_arrays(pa.array(positions.ravel(), pa.float64()), joints)
    columns = [pa.array(times, pa.int64()), vec, pa.nulls(rows, vec.type), pa.nulls(rows, vec.type)]
    return TableBatch(JOINT_STATES, pa.RecordBatch.from_arrays(columns, schema=joint_schema(joints)))


def moving(start_ns: int, end_ns: int, hz: int = 1, joints: int = 2) -> TableBatch:
    """Samples over [start_ns, end_ns): joint 0 ramps 0.01 rad/s (every minute moves)."""
    times = np.arange(start_ns, end_ns, S // hz, dtype=np.int64)
    positions = np.zeros((times.size, joints))
    positions[:, 0] = (times - start_ns) / S * 0.01
    return joint_batch(times, positions)


def events(table: str, *rows: tuple) -> TableBatch:
    """An event-table batch from row tuples in the schema's column order (None pads)."""
    schema = EVENT_SCHEMAS[table]
    rows = [row + (None,) * (len(schema) - len(row)) for row in rows]
    cells = zip(*rows, strict=True)
    columns = [pa.array(list(column), f.type) for column, f in zip(cells, schema, strict=True)]
    return TableBatch(table, pa.RecordBatch.from_arrays(columns, schema=schema))


def modes(*rows: tuple) -> TableBatch:
    return events(CONTROL_MODE, *rows)


def tasks(*rows: tuple) -> TableBatch:
    return events(TASKS, *rows)


def interventions(*rows: tuple) -> TableBatch:
    return events(INTERVENTIONS, *rows)


def run(*batches: TableBatch, end_ns: int | None = None, policy=POLICY) -> RecordingEvidence:
    return summarize(batches, policy, end_ns=end_ns)


def only_day(ev: RecordingEvidence):
    [day] = ev.days
    return day


def test_task_without_terminal_is_incomplete():
    ev = run(moving(T0, T0 + 10 * MIN), tasks((T0 + MIN, "start", "pick")))
    [episode] = ev.episodes
    assert (episode.outcome, episode.end_ns, episode.until_ns) == ("incomplete", None, ev.end_ns)
    day = only_day(ev)
    assert (day.tasks_started, day.tasks_incomplete, day.tasks_succeeded) == (1, 1, 0)


def test_second_start_cuts_the_first_and_orphan_terminal_is_ignored():
    ev = run(
        tasks(
            (T0, "success", "x"),
            (T0 + S, "start", "a"),
            (T0 + 5 * S, "start", "b"),
            (T0 + 9 * S, "failure"),
            (T0 + 10 * S, "abort"),
        )
    )
    assert [(e.task, e.outcome, e.end_ns, e.until_ns) for e in ev.episodes] == [
        ("a", "incomplete", None, T0 + 5 * S),
        ("b", "failure", T0 + 9 * S, T0 + 9 * S),
    ]
    assert ev.ignored_terminals == 2
    day = only_day(ev)
    assert (day.tasks_started, day.tasks_failed, day.tasks_incomplete) == (2, 1, 1)


def test_segment_runs_to_the_recording_end():
    data = (moving(T0, T0 + 10 * MIN), modes((T0, "autonomous")))
    assert run(*data).segments[-1].end_ns == T0 + 10 * MIN - S  # last row seen
    ev = run(*data, end_ns=T0 + 10 * MIN)
    assert [(s.start_ns, s.end_ns, s.mode) for s in ev.segments] == [(T0, T0 + 10 * MIN, "autonomous")]
    assert only_day(ev).autonomous_s == 600.0
    with pytest.raises(EvidenceError, match="precedes"):
        run(*data, end_ns=T0)


def test_motion_under_at_and_above_epsilon():
    eps = POLICY.motion_epsilon_rad
    times = T0 + np.arange(3 * 60, dtype=np.int64) * S
    positions = np.zeros((times.size, 3))
    positions[0:2, 0] = [0.0, eps / 2]  # minute 0: under epsilon
    positions[60:62, 1] = [0.0, eps]  # minute 1: exactly epsilon
    positions[120:122, 2] = [0.0, eps * 1.1]  # minute 2: above
    ev = run(joint_batch(times, positions), modes((T0, "teleoperated")), end_ns=T0 + 3 * MIN)
    assert ev.moving_minutes.tolist() == [T0 // MIN + 2]
    day = only_day(ev)
    assert (day.teleoperated_s, day.idle_s, day.claimed_operating_s) == (60.0, 120.0, 180.0)
    assert day.moving_minutes == 1 and ev.moving_samples == 60 and ev.samples == 180


def test_minute_without_joint_data_is_not_moving():
    ev = run(moving(T0, T0 + MIN), modes((T0, "scripted")), end_ns=T0 + 3 * MIN)
    day = only_day(ev)
    assert (day.scripted_s, day.idle_s, day.moving_minutes) == (60.0, 120.0, 1)


def test_day_boundary_in_shanghai():
    start = T0 + 15 * 3600 * S + 30 * MIN  # 15:30 UTC = 23:30 in Shanghai
    ev = run(
        moving(start, start + 60 * MIN),
        modes((start, "autonomous")),
        tasks((start, "start"), (start + 45 * MIN, "success")),
        interventions((start + 10 * MIN, "takeover"), (start + 50 * MIN, "estop")),
        end_ns=start + 60 * MIN,
    )
    first, second = ev.days
    assert (first.day, second.day) == (DAY, date(2026, 9, 2))
    assert (first.autonomous_s, second.autonomous_s) == (1800.0, 1800.0)
    assert (first.moving_minutes, second.moving_minutes) == (30, 30)
    assert (first.tasks_started, first.tasks_succeeded, second.tasks_succeeded) == (1, 0, 1)
    assert (first.takeover, first.estop, second.takeover, second.estop) == (1, 0, 0, 1)


def test_time_before_the_first_control_mode_counts_nowhere():
    ev = run(
        moving(T0, T0 + 10 * MIN),
        modes((T0 + 4 * MIN, "autonomous")),
        interventions((T0 + MIN, "correction")),
        end_ns=T0 + 10 * MIN,
    )
    day = only_day(ev)
    assert (day.autonomous_s, day.idle_s, day.claimed_operating_s) == (360.0, 0.0, 360.0)
    assert ev.segments[0].start_ns == T0 + 4 * MIN
    assert ev.interventions[0].mode is None and day.correction == 1


def test_fault_and_idle_time_even_while_moving():
    ev = run(
        moving(T0, T0 + 6 * MIN),
        modes((T0, "idle"), (T0 + 2 * MIN, "fault"), (T0 + 3 * MIN, "autonomous")),
        end_ns=T0 + 6 * MIN,
    )
    day = only_day(ev)
    assert (day.idle_s, day.fault_s, day.autonomous_s, day.operating_s) == (120.0, 60.0, 180.0, 180.0)


def test_assist_counted_apart_and_interventions_carry_their_mode():
    ev = run(
        modes((T0, "teleoperated"), (T0 + MIN, "autonomous")),
        interventions(
            (T0 + S, "assist", "system", "lost grip"),
            (T0 + MIN, "takeover", "remote_operator"),
            (T0 + 2 * MIN, "estop", "onsite_operator", "person near"),
        ),
        end_ns=T0 + 3 * MIN,
    )
    assert [(i.kind, i.mode) for i in ev.interventions] == [
        ("assist", "teleoperated"),
        ("takeover", "autonomous"),
        ("estop", "autonomous"),
    ]
    assert ev.interventions[0].reason == "lost grip"
    day = only_day(ev)
    assert (day.assist, day.takeover, day.estop, day.correction) == (1, 1, 1, 0)


def test_episode_mode_shares():
    ev = run(
        modes((T0, "teleoperated"), (T0 + 30 * S, "autonomous"), (T0 + 120 * S, "idle")),
        tasks((T0 + 10 * S, "start", "fold"), (T0 + 110 * S, "success", "fold")),
        end_ns=T0 + 3 * MIN,
    )
    [episode] = ev.episodes
    assert episode.mode_seconds == {"teleoperated": 20.0, "autonomous": 80.0}
    assert episode.mode_share("autonomous") == pytest.approx(0.8)
    assert episode.mode_share("scripted") == 0.0


def test_tables_in_any_order_give_the_same_evidence():
    parts = [
        moving(T0, T0 + 5 * MIN),
        modes((T0, "autonomous"), (T0 + 3 * MIN, "idle")),
        tasks((T0, "start", "a"), (T0 + 4 * MIN, "abort")),
        interventions((T0 + 2 * MIN, "takeover")),
    ]
    results = [run(*order).to_json() for order in itertools.permutations(parts)]
    assert all(result == results[0] for result in results)
    assert results[0]["days"][0]["tasks_aborted"] == 1


def test_a_mode_the_policy_does_not_count_as_operating_is_idle():
    routine = {**POLICY.routine_operation, "operating_modes": ("autonomous", "teleoperated")}
    policy = replace(POLICY, routine_operation=routine)
    ev = run(moving(T0, T0 + 2 * MIN), modes((T0, "scripted")), end_ns=T0 + 2 * MIN, policy=policy)
    day = only_day(ev)
    assert (day.scripted_s, day.idle_s, day.claimed_operating_s) == (0.0, 120.0, 0.0)


def test_malformed_rows_are_refused():
    with pytest.raises(EvidenceError, match="unknown mode 'dancing'"):
        run(modes((T0, "dancing")))
    late = moving(T0 + MIN, T0 + 2 * MIN)
    with pytest.raises(EvidenceError, match="back in time"):
        run(late, moving(T0, T0 + MIN))


def test_a_recording_without_rows_has_no_days():
    ev = run()
    assert (ev.days, ev.segments, ev.samples, ev.content_digest) == ([], [], 0, None)
    assert ev.fingerprints.size == 0
