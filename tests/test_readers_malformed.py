"""Malformed recordings: each refusal is an IngestError naming the file and where."""

import re
from pathlib import Path

import pytest
from recordings import (
    Content,
    Event,
    JointSample,
    chunk_index,
    control_mode,
    intervention,
    message_index,
    synthetic_content,
    task,
    write_json_mcap,
    write_ros2_mcap,
)

from robotwork.errors import IngestError
from robotwork.ingest.readers import open_recording

WRITERS = {"json": write_json_mcap, "ros2": write_ros2_mcap}


def read_all(path: Path) -> None:
    for _ in open_recording(path).batches():
        pass


def refusal(path: Path) -> str:
    with pytest.raises(IngestError) as caught:
        read_all(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


@pytest.fixture
def whole(tmp_path: Path) -> Path:
    return write_json_mcap(tmp_path / "whole.mcap", synthetic_content(states=200), chunk_size=4096)


@pytest.mark.parametrize("fraction", [0.0, 0.001, 0.1, 0.33, 0.5, 0.9, 0.99, 0.999])
def test_truncated(tmp_path: Path, whole: Path, fraction: float) -> None:
    data = whole.read_bytes()
    cut = tmp_path / "cut.mcap"
    cut.write_bytes(data[: int(len(data) * fraction)])
    assert re.search(r"byte offset \d+", refusal(cut))


def test_truncated_everywhere_is_refused(tmp_path: Path) -> None:
    """Every cut of a small file is refused, never read as whole or crashing otherwise."""
    data = write_json_mcap(
        tmp_path / "small.mcap", synthetic_content(states=12, joints=2), chunk_size=600
    ).read_bytes()
    cut = tmp_path / "cut.mcap"
    for end in range(0, len(data), 7):
        cut.write_bytes(data[:end])
        assert "byte offset" in refusal(cut)


def test_flipped_byte_in_chunk(tmp_path: Path) -> None:
    path = write_json_mcap(
        tmp_path / "rec.mcap", synthetic_content(states=100), compression="none", chunk_size=4096
    )
    chunk = chunk_index(path, 2)
    data = bytearray(path.read_bytes())
    data[chunk.chunk_start_offset + chunk.chunk_length // 2] ^= 0x10
    path.write_bytes(bytes(data))
    expected = f"{path}: CRC mismatch in chunk at byte offset {chunk.chunk_start_offset}"
    assert refusal(path) == expected


def test_corrupt_compressed_chunk(tmp_path: Path) -> None:
    path = write_ros2_mcap(tmp_path / "rec.mcap", synthetic_content(states=100), chunk_size=4096)
    chunk = chunk_index(path, 1)
    data = bytearray(path.read_bytes())
    for offset in range(chunk.chunk_start_offset + 80, chunk.chunk_start_offset + 90):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    assert f"chunk at byte offset {chunk.chunk_start_offset}" in refusal(path)


@pytest.mark.parametrize("data", [b"", b"\x00garbage" * 100, b"PAR1" + b"\x00" * 64])
def test_garbage(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "junk.mcap"
    path.write_bytes(data)
    assert refusal(path) == f"{path}: not an MCAP file (no MCAP magic at byte offset 0)"


def bad_event_file(tmp_path: Path, encoding: str, event: Event) -> tuple[Path, int]:
    content = synthetic_content(states=50, joints=3)
    content.events.append(event)
    path = WRITERS[encoding](tmp_path / "rec.mcap", content)
    return path, message_index(content, event)


@pytest.mark.parametrize("encoding", ["json", "ros2"])
@pytest.mark.parametrize(
    "event, reason",
    [
        (Event(1_767_225_600_100_000_000, "/robotwork/control_mode", "{not json"), "not JSON"),
        (Event(1_767_225_600_100_000_000, "/robotwork/task", '["start"]'), "not a JSON object"),
        (control_mode(1_767_225_600_100_000_000, "dancing"), "unknown mode 'dancing'"),
        (task(1_767_225_600_100_000_000, "paused", "pick"), "unknown event 'paused'"),
        (intervention(1_767_225_600_100_000_000, "hug"), "unknown kind 'hug'"),
        (intervention(1_767_225_600_100_000_000, "estop", "robot"), "unknown initiated_by 'robot'"),
        (Event(1_767_225_600_100_000_000, "/robotwork/control_mode", {"operator": "x"}), "mode is missing"),
    ],
)
def test_bad_events(tmp_path: Path, encoding: str, event: Event, reason: str) -> None:
    path, index = bad_event_file(tmp_path, encoding, event)
    message = refusal(path)
    assert message.startswith(f"{path}: message {index} on {event.topic}: {reason}")


def layout_change(names: list[str], size: int) -> Content:
    states = [JointSample(1000 + i, [0.1 * i] * 3) for i in range(300)]
    states[250] = JointSample(1250, [0.5] * size, names=names)
    return Content(["a", "b", "c"], joint_states=states)


@pytest.mark.parametrize("encoding", ["json", "ros2"])
@pytest.mark.parametrize("names, size", [(["a", "b", "x"], 3), (["a", "b", "c", "d"], 4), (["a", "b"], 2)])
def test_joint_layout_change_mid_file(tmp_path: Path, encoding: str, names: list[str], size: int) -> None:
    content = layout_change(names, size)
    path = WRITERS[encoding](tmp_path / "rec.mcap", content, chunk_size=4096)
    message = refusal(path)
    assert message.startswith(f"{path}: message 250 on /joint_states: joint layout changed")


@pytest.mark.parametrize("encoding", ["json", "ros2"])
def test_command_joint_count(tmp_path: Path, encoding: str) -> None:
    content = Content(
        ["a", "b"],
        joint_states=[JointSample(i, [0.0, 1.0]) for i in range(10)],
        joint_commands=[JointSample(20, [0.5, 0.5, 0.5])],
    )
    message = refusal(WRITERS[encoding](tmp_path / "rec.mcap", content))
    assert "message 10 on /joint_commands: 3 commanded joints where the recording has 2" in message


@pytest.mark.parametrize("encoding", ["json", "ros2"])
def test_velocity_of_wrong_length(tmp_path: Path, encoding: str) -> None:
    states = [JointSample(i, [0.0, 1.0], [0.1, 0.2]) for i in range(10)]
    states[6] = JointSample(6, [0.0, 1.0], [0.1])
    message = refusal(WRITERS[encoding](tmp_path / "rec.mcap", Content(["a", "b"], states)))
    assert "message 6 on /joint_states: " in message


def test_joint_state_not_json(tmp_path: Path) -> None:
    """A bad JointState among good ones is located exactly, though parsed in bulk."""
    content = synthetic_content(states=40, joints=2, commands=False, events=False)
    content.events = [Event(content.joint_states[17].time_ns + 1, "/joint_states", "{oops")]
    path = write_json_mcap(tmp_path / "rec.mcap", content)
    assert refusal(path).startswith(f"{path}: message 18 on /joint_states: not JSON")


def test_unsupported_encoding(tmp_path: Path) -> None:
    from mcap.writer import Writer

    path = tmp_path / "proto.mcap"
    with open(path, "wb") as stream:
        writer = Writer(stream)
        writer.start()
        schema = writer.register_schema("JointState", "protobuf", b"")
        channel = writer.register_channel("/joint_states", "protobuf", schema)
        writer.add_message(channel, log_time=5, data=b"\x08\x01", publish_time=5)
        writer.finish()
    assert "message 0 on /joint_states: message encoding 'protobuf'" in refusal(path)


def test_data_section_crc(tmp_path: Path) -> None:
    """With the optional data-section CRC written, a flip outside any chunk is caught too."""
    from mcap.writer import Writer

    path = tmp_path / "crc.mcap"
    with open(path, "wb") as stream:
        writer = Writer(stream, use_chunking=False, enable_data_crcs=True)
        writer.start()
        schema = writer.register_schema("control_mode", "jsonschema", b"{}")
        channel = writer.register_channel("/robotwork/control_mode", "json", schema)
        for t in range(5):
            writer.add_message(channel, log_time=t, data=b'{"mode": "idle"}', publish_time=t)
        writer.finish()
    read_all(path)
    data = bytearray(path.read_bytes())
    data[data.index(b'{"mode"') - 4] ^= 0x01  # a message's publish_time, which nothing else checks
    path.write_bytes(bytes(data))
    assert "CRC mismatch in the data section ending at byte offset" in refusal(path)
