"""The bulk CDR JointState decoder against mcap_ros2's serializer and decoder, both byte orders."""

import io

import numpy as np
import pytest
from mcap.records import Schema
from mcap_ros2._cdr import CdrWriter, EncapsulationKind
from mcap_ros2.decoder import DecoderFactory

from robotwork.ingest.readers._block import BadMessage, MessageBlock
from robotwork.ingest.readers._cdr import decode_joint_states, decode_string
from robotwork.ingest.readers._joints import JointLayout
from robotwork.store.schema import JOINT_STATE_MSGDEF


def joint_state(kind: EncapsulationKind, frame: str, names: list[str], *vectors: list[float]) -> bytes:
    """A JointState payload written field by field, as any CDR serializer would."""
    out = io.BytesIO()
    writer = CdrWriter(out, kind)
    writer.write_int32(1_700_000_000)
    writer.write_uint32(123)
    writer.write_string(frame)
    writer.write_uint32(len(names))
    writer.write_string_array(names)
    for values in vectors:
        writer.write_uint32(len(values))
        writer.write_float64_array(values)
    return out.getvalue()


def block_of(payloads: list[bytes]) -> MessageBlock:
    ends = np.cumsum([len(p) for p in payloads])
    starts = ends - [len(p) for p in payloads]
    return MessageBlock(
        b"".join(payloads), starts, ends, np.arange(len(payloads)) * 10, np.arange(len(payloads))
    )


@pytest.mark.parametrize("kind", [EncapsulationKind.CDR_LE, EncapsulationKind.CDR_BE])
@pytest.mark.parametrize("same_structure", [True, False])
def test_bulk_and_per_message_paths(kind: EncapsulationKind, same_structure: bool) -> None:
    rng = np.random.default_rng(7)
    names = ["hip", "knee", "ankle"]
    rows = rng.normal(size=(20, 3, 3)).tolist()
    payloads = [
        joint_state(kind, "base" if same_structure or i % 2 else "map", names, *row)
        for i, row in enumerate(rows)
    ]
    decoded = decode_joint_states(block_of(payloads), JointLayout().check_state)
    assert decoded.velocity is not None and decoded.effort is not None
    assert decoded.position.tolist() == [row[0] for row in rows]
    assert decoded.velocity.values.tolist() == [row[1] for row in rows]
    assert decoded.effort.values.tolist() == [row[2] for row in rows]
    assert decoded.time_ns.tolist() == list(range(0, 200, 10))
    if kind == EncapsulationKind.CDR_LE:  # mcap_ros2 reads what we read
        decoder = DecoderFactory().decoder_for(
            "cdr",
            Schema(
                id=1, name="sensor_msgs/msg/JointState", encoding="ros2msg", data=JOINT_STATE_MSGDEF.encode()
            ),
        )
        assert decoder is not None
        assert [list(decoder(p).position) for p in payloads] == decoded.position.tolist()


def test_empty_vectors_and_strings() -> None:
    kind = EncapsulationKind.CDR_LE
    payloads = [joint_state(kind, "", [], [1.0, 2.0], [], []) for _ in range(3)]
    decoded = decode_joint_states(block_of(payloads), JointLayout().check_state)
    assert decoded.velocity is None and decoded.effort is None
    assert decoded.position.tolist() == [[1.0, 2.0]] * 3


@pytest.mark.parametrize(
    "payload", [b"", b"\x00\x01", b"\x00\x01\x00\x00" + b"\xff" * 12, b"\x00\x09\x00\x00" + b"\x00" * 40]
)
def test_malformed_payloads(payload: bytes) -> None:
    with pytest.raises(BadMessage, match="not a CDR JointState"):
        decode_joint_states(block_of([payload]), JointLayout().check_state)


def test_string() -> None:
    out = io.BytesIO()
    CdrWriter(out, EncapsulationKind.CDR_BE).write_string('{"mode": "idle"}')
    assert decode_string(out.getvalue()) == '{"mode": "idle"}'
    with pytest.raises(ValueError, match="overruns"):
        decode_string(out.getvalue()[:-3])
