"""Episode windows of a stored recording equal the whole recording at every frame they cover."""

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_store import MIDNIGHT_NS, MS, event_batch, rid

from robotwork.datasets.resample import NS, RecordingSignals, Signal
from robotwork.datasets.source import RecordingSource
from robotwork.store import TelemetryStore
from robotwork.store.schema import CONTROL_MODE, JOINT_COMMANDS, JOINT_STATES, TableBatch, joint_schema

JOINTS = 3


def joints(times: np.ndarray, seed: int) -> pa.RecordBatch:
    rng = np.random.default_rng(seed)
    vec = pa.list_(pa.float64(), JOINTS)
    positions = rng.normal(size=(len(times), JOINTS))
    return pa.RecordBatch.from_arrays(
        [
            pa.array(times, pa.int64()),
            pa.FixedSizeListArray.from_arrays(pa.array(positions.ravel()), JOINTS),
            pa.FixedSizeListArray.from_arrays(pa.array((positions * 2).ravel()), JOINTS),
            pa.nulls(len(times), vec),
        ],
        schema=joint_schema(JOINTS),
    )


def sample_times(rng: np.random.Generator) -> np.ndarray:
    """100 Hz with jitter, a 5 s gap, repeated times, and a few samples out of order."""
    steps = 10 * MS + rng.integers(-3 * MS, 3 * MS, 4000)
    steps[1500] += 5 * NS  # the gap
    steps[::97] = 0  # repeated times
    times = MIDNIGHT_NS + 3 * NS + np.cumsum(steps)
    times[2000], times[2001] = times[2001], times[2000]  # out of order
    return times


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A recording cut into small row groups (50 rows each) over several files, and its whole signals."""
    store = TelemetryStore(
        str(tmp_path_factory.mktemp("windows")), row_group_bytes=4000, max_rows_per_file=1500
    )
    rng = np.random.default_rng(7)
    states, commands = joints(sample_times(rng), 1), joints(sample_times(rng) + 4 * MS, 2)
    modes = event_batch(CONTROL_MODE, MIDNIGHT_NS + np.array([4, 20, 30], dtype=np.int64) * NS)
    modes = modes.set_column(1, "mode", pa.array(["autonomous", "teleoperated", "autonomous"]))
    batches = [TableBatch(CONTROL_MODE, modes)]
    for k in range(0, len(states), 50):  # the store cuts row groups at batch ends
        batches += [
            TableBatch(JOINT_STATES, states.slice(k, 50)),
            TableBatch(JOINT_COMMANDS, commands.slice(k, 50)),
        ]
    with store.begin(rid("windows"), "SN-1") as writer:
        for tb in batches:
            writer.write(tb)
        result = writer.commit()
    files = [f.path for f in result.files]
    whole = {
        name: Signal.from_table(pa.Table.from_batches([b]), column)
        for name, b, column in (
            ("state", states, "position"),
            ("velocity", states, "velocity"),
            ("action", commands, "position"),
        )
    }
    return store, files, whole


def test_the_recording_is_in_many_row_groups(stored):
    store, files, _ = stored
    source = RecordingSource(store, files)
    assert len(source._groups[JOINT_STATES]) > 20 and len({g.rel for g in source._groups[JOINT_STATES]}) > 2


@pytest.mark.parametrize(
    ("start_s", "end_s"),
    [
        (0.0, 2.0),  # before every sample: held at the first
        (3.0, 3.5),
        (10.0, 14.0),  # across the gap
        (17.2, 17.4),
        (21.0, 21.0),  # one frame
        (25.0, 60.0),  # past the last sample
        (3.0, 60.0),  # everything
    ],
)
def test_a_window_equals_the_whole_recording(stored, start_s, end_s):
    store, files, whole = stored
    start, end = MIDNIGHT_NS + int(start_s * NS), MIDNIGHT_NS + int(end_s * NS)
    source = RecordingSource(store, files, velocities=True)
    window: RecordingSignals = source.window(start, end)
    frames = window.frames(start, end, 30)
    at = frames["time_ns"]
    state = np.hstack([whole["state"].hold(at), whole["velocity"].hold(at)]).astype(np.float32)
    assert np.array_equal(frames["state"], state)
    assert np.array_equal(frames["action"], whole["action"].hold(at).astype(np.float32))


def test_windows_moving_forward_read_each_row_group_once(stored, monkeypatch):
    store, files, _ = stored
    source = RecordingSource(store, files)
    reads: list[int] = []
    read_row_group = pq.ParquetFile.read_row_group

    def counted(self, number, *args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(number)
        return read_row_group(self, number, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", counted)
    for k in range(60):  # 0.5 s windows from 3 s to 33 s, end to end
        start = MIDNIGHT_NS + 3 * NS + k * NS // 2
        source.window(start, start + NS // 2)
    assert len(reads) <= len(source._groups[JOINT_STATES]) + len(source._groups[JOINT_COMMANDS])
