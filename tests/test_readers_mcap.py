"""MCAP files (JSON and ROS 2 CDR) written with the mcap writers, read back exactly."""

from pathlib import Path

import pyarrow as pa
import pytest
from recordings import (
    Content,
    Event,
    JointSample,
    control_mode,
    synthetic_content,
    task,
    write_json_mcap,
    write_ros2_mcap,
)

from robotwork.ingest.readers import Recording, open_recording
from robotwork.store.schema import (
    CONTROL_MODE,
    EVENT_SCHEMAS,
    INTERVENTIONS,
    JOINT_COMMANDS,
    JOINT_STATES,
    TASKS,
    joint_schema,
)

WRITERS = {"json": write_json_mcap, "ros2": write_ros2_mcap}


def read_tables(path: Path, batch_rows: int = 65536) -> tuple[dict[str, pa.Table], Recording]:
    """Read a recording into one table per name; also return it, for its info."""
    recording = open_recording(path)
    batches: dict[str, list[pa.RecordBatch]] = {}
    for table_batch in recording.batches(batch_rows):
        assert table_batch.batch.num_rows <= batch_rows
        batches.setdefault(table_batch.table, []).append(table_batch.batch)
    return {name: pa.Table.from_batches(b) for name, b in batches.items()}, recording


def joint_rows(samples: list[JointSample]) -> list[dict]:
    return [
        {"time_ns": s.time_ns, "position": s.position, "velocity": s.velocity, "effort": s.effort}
        for s in samples
    ]


def event_rows(content: Content, topic: str, table: str) -> list[dict]:
    names = EVENT_SCHEMAS[table].names[1:]
    return [
        {"time_ns": e.time_ns, **{n: e.payload.get(n) for n in names}}
        for e in content.events
        if e.topic == topic and isinstance(e.payload, dict)
    ]


def assert_same(tables: dict[str, pa.Table], content: Content) -> None:
    """Every value read equals what was written (floats compared exactly)."""
    n = len(content.joint_names)
    assert tables[JOINT_STATES].schema == joint_schema(n)
    assert tables[JOINT_STATES].to_pylist() == joint_rows(content.joint_states)
    if content.joint_commands:
        assert tables[JOINT_COMMANDS].to_pylist() == joint_rows(content.joint_commands)
    for topic, table in (
        ("/robotwork/control_mode", CONTROL_MODE),
        ("/robotwork/task", TASKS),
        ("/robotwork/intervention", INTERVENTIONS),
    ):
        assert tables[table].schema == EVENT_SCHEMAS[table]
        assert tables[table].to_pylist() == event_rows(content, topic, table)


@pytest.mark.parametrize("encoding", ["json", "ros2"])
def test_round_trip(tmp_path: Path, encoding: str) -> None:
    content = synthetic_content(states=400, joints=6)
    content.identity = {"robot_serial": "UB-0001", "site_id": "SH-3", "unrelated": "x"}
    path = WRITERS[encoding](tmp_path / "rec.mcap", content, chunk_size=8000)
    tables, recording = read_tables(path, batch_rows=128)
    assert_same(tables, content)
    info = recording.info
    assert recording.identity == {"robot_serial": "UB-0001", "site_id": "SH-3"}
    assert info.joint_names == content.joint_names
    assert info.topics["/joint_states"] == ("sensor_msgs/msg/JointState", 400)
    assert info.topics["/joint_commands"][1] == 200
    assert info.messages == len(content.messages())
    times = [t for t, _, _ in content.messages()]
    assert (info.start_ns, info.end_ns) == (min(times), max(times))


@pytest.mark.parametrize("compression", ["zstd", "lz4", "none"])
@pytest.mark.parametrize("chunked", [True, False])
def test_json_file_shapes(tmp_path: Path, compression: str, chunked: bool) -> None:
    """Compression, unchunked messages and a missing summary change nothing read."""
    content = synthetic_content(states=120, joints=3, seed=1)
    content.identity = {"robot_serial": "R-9"}
    path = write_json_mcap(
        tmp_path / "rec.mcap",
        content,
        compression=compression,
        chunked=chunked,
        summary=chunked,
        chunk_size=3000,
    )
    assert open_recording(path).identity == {"robot_serial": "R-9"}
    tables, _ = read_tables(path)
    assert_same(tables, content)


@pytest.mark.parametrize("encoding", ["json", "ros2"])
def test_optional_vectors_and_structure_changes(tmp_path: Path, encoding: str) -> None:
    """Rows with and without velocity/effort in one block take the per-message path and
    keep nulls where nothing was sent."""
    names = ["a", "b"]
    states = [
        JointSample(
            1000 + i, [i * 0.5, -i / 3], [0.25, i / 7] if i % 3 else None, [1e-300, 1e300] if i % 2 else None
        )
        for i in range(40)
    ]
    content = Content(
        names, joint_states=states, events=[control_mode(1000, "autonomous"), task(1001, "start")]
    )
    path = WRITERS[encoding](tmp_path / "rec.mcap", content)
    tables, _ = read_tables(path, batch_rows=7)
    assert tables[JOINT_STATES].to_pylist() == joint_rows(states)
    assert tables[TASKS].to_pylist() == [{"time_ns": 1001, "event": "start", "task": None}]


@pytest.mark.parametrize("encoding", ["json", "ros2"])
def test_states_without_names(tmp_path: Path, encoding: str) -> None:
    states = [JointSample(5 + i, [float(i)] * 3, names=[]) for i in range(5)]
    path = WRITERS[encoding](tmp_path / "rec.mcap", Content(["x"], joint_states=states))
    tables, recording = read_tables(path)
    assert recording.info.joint_names == ["joint_0", "joint_1", "joint_2"]
    assert tables[JOINT_STATES].column("position").to_pylist() == [s.position for s in states]


def test_other_topics_only_counted(tmp_path: Path) -> None:
    """Topics robotwork ignores are listed with their counts and produce no rows."""
    content = Content(
        ["a"], events=[Event(10, "/camera/info", {"w": 640}), Event(20, "/camera/info", {"w": 640})]
    )
    tables, recording = read_tables(write_json_mcap(tmp_path / "rec.mcap", content))
    assert tables == {}
    assert recording.info.topics == {"/camera/info": ("info", 2)}
    assert recording.info.joint_names == []
    assert (recording.info.start_ns, recording.info.end_ns) == (10, 20)


def test_identity_known_before_reading(tmp_path: Path) -> None:
    content = synthetic_content(states=10)
    content.identity = {"robot_serial": "A1", "scenario_id": "S1", "software_version": "2.1"}
    recording = open_recording(write_ros2_mcap(tmp_path / "rec.mcap", content))
    assert recording.identity == content.identity
    assert recording.info.messages == 0  # nothing read yet
