"""ROS 2 CDR payloads: sensor_msgs/msg/JointState in bulk; std_msgs/msg/String and
sensor_msgs/msg/CompressedImage one by one.

A recording's JointStates share one layout (same frame_id, names and vector lengths), so their
CDR payloads have the same length and the same bytes everywhere except the stamp and the
doubles. A block of such payloads is stacked into an (N, L) byte matrix and the position /
velocity / effort columns are sliced out at the offsets parsed from its first message: no
per-message object is built. Blocks that do not share one layout take a per-message path.

CDR (XCDR1) as rosbag2 writes it: a 4-byte encapsulation header (byte 1: 0 big-, 1
little-endian), then fields aligned to their size relative to the end of that header.
"""

import struct
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from robotwork.ingest.readers._block import BadMessage, MessageBlock
from robotwork.ingest.readers._joints import JointRows, Vectors

LayoutCheck = Callable[[list[str], int], str | None]

_HEADER = 4  # encapsulation header; alignment is relative to its end
_STAMP = 8  # int32 sec + uint32 nanosec


@dataclass(frozen=True)
class _Field:
    """A sequence<double>: where its count sits, where its values start, how many there are."""

    count_at: int
    start: int
    count: int

    @property
    def end(self) -> int:
        return self.start + 8 * self.count


@dataclass(frozen=True)
class _Layout:
    """Where the parts of one JointState payload are."""

    endian: str
    names: list[str]
    names_at: int  # offset of the frame_id length: from here on, structure bytes begin
    position: _Field
    velocity: _Field
    effort: _Field

    def structure(self) -> list[tuple[int, int]]:
        """Byte ranges that every payload of the same layout repeats exactly (all but the
        stamp and the doubles)."""
        return [
            (0, _HEADER),
            (self.names_at, self.position.start),
            (self.position.end, self.velocity.start),
            (self.velocity.end, self.effort.start),
        ]


def _align(offset: int, size: int) -> int:
    return _HEADER + -(-(offset - _HEADER) // size) * size


def _endian(data: bytes | memoryview) -> str:
    if len(data) < _HEADER or data[0] != 0 or data[1] not in (0, 1):
        raise ValueError(f"unsupported CDR encapsulation {bytes(data[:2]).hex() or 'none'}")
    return "<" if data[1] == 1 else ">"


def _parse_layout(data: bytes) -> _Layout:
    """Parse the structure of one JointState payload (raises ValueError / struct.error)."""
    endian = _endian(data)
    u32 = struct.Struct(endian + "I").unpack_from
    names_at = _HEADER + _STAMP
    offset = names_at + 4 + u32(data, names_at)[0]  # frame_id
    offset = _align(offset, 4)
    count = u32(data, offset)[0]
    if count > len(data) // 4:
        raise ValueError(f"name count {count} exceeds the payload")
    offset += 4
    names = []
    for _ in range(count):
        offset = _align(offset, 4)
        length = u32(data, offset)[0]
        names.append(data[offset + 4 : offset + 4 + max(length - 1, 0)].decode())
        offset += 4 + length
    fields = []
    for _ in range(3):
        count_at = _align(offset, 4)
        count = u32(data, count_at)[0]
        start = _align(count_at + 4, 8) if count else count_at + 4
        fields.append(_Field(count_at, start, count))
        offset = fields[-1].end
    if offset > len(data):
        raise ValueError(f"payload of {len(data)} bytes ends inside its arrays")
    return _Layout(endian, names, names_at, *fields)


def _vectors(field: _Field, n: int, values: Callable[[_Field], np.ndarray]) -> Vectors | None:
    """velocity / effort: absent (count 0) or one per joint."""
    if field.count == 0:
        return None
    if field.count != n:
        raise ValueError(f"{field.count} values for {n} joints")
    return Vectors(values(field))


def decode_joint_states(block: MessageBlock, check: LayoutCheck) -> JointRows:
    """Decode a block of JointState payloads, in bulk when they share one layout."""
    try:
        first = _parse_layout(block.payload(0))
    except (ValueError, struct.error, UnicodeDecodeError) as exc:
        raise BadMessage(0, f"not a CDR JointState ({exc})") from None
    lengths = block.ends - block.starts
    if len(block) > 1 and (lengths == lengths[0]).all():
        stack = np.frombuffer(b"".join(block.payloads()), np.uint8).reshape(len(block), -1)
        if all((stack[:, a:b] == stack[0, a:b]).all() for a, b in first.structure()):
            return _from_stack(block, stack, first, check)
    return _one_by_one(block, check)


def _from_stack(block: MessageBlock, stack: np.ndarray, layout: _Layout, check: LayoutCheck) -> JointRows:
    """All rows share `layout`: check it once and slice the doubles column-wise."""
    n = layout.position.count
    problem = check(layout.names, n)
    if problem:
        raise BadMessage(0, problem)
    dtype = np.dtype(layout.endian + "f8")

    def values(field: _Field) -> np.ndarray:
        raw = np.ascontiguousarray(stack[:, field.start : field.end]).view(dtype)
        return raw.astype(np.float64, copy=False)

    try:
        velocity = _vectors(layout.velocity, n, values)
        effort = _vectors(layout.effort, n, values)
    except ValueError as exc:
        raise BadMessage(0, str(exc)) from None
    return JointRows(block.log_times, values(layout.position), velocity, effort)


def _one_by_one(block: MessageBlock, check: LayoutCheck) -> JointRows:
    """The per-message path, for blocks whose payloads differ in structure."""
    rows: list[tuple[np.ndarray, Vectors | None, Vectors | None]] = []
    for row in range(len(block)):
        data = block.payload(row)
        try:
            layout = _parse_layout(data)
            n = layout.position.count
            problem = check(layout.names, n)
            if problem:
                raise BadMessage(row, problem)
            dtype = np.dtype(layout.endian + "f8")

            def values(field: _Field, data: bytes = data, dtype: np.dtype = dtype) -> np.ndarray:
                return np.frombuffer(data, dtype, field.count, field.start).astype(np.float64)

            rows.append(
                (
                    values(layout.position),
                    _vectors(layout.velocity, n, values),
                    _vectors(layout.effort, n, values),
                )
            )
        except (ValueError, struct.error, UnicodeDecodeError) as exc:
            raise BadMessage(row, f"not a CDR JointState ({exc})") from None
    return JointRows(
        block.log_times,
        np.stack([r[0] for r in rows]),
        _stack_optional([r[1] for r in rows]),
        _stack_optional([r[2] for r in rows]),
    )


def _stack_optional(rows: list[Vectors | None]) -> Vectors | None:
    present = [r for r in rows if r is not None]
    if not present:
        return None
    blank = np.zeros_like(present[0].values)
    values = np.stack([blank if r is None else r.values for r in rows])
    valid = np.array([r is not None for r in rows])
    return Vectors(values, None if valid.all() else valid)


def decode_string(data: bytes) -> str:
    """The `data` field of a CDR std_msgs/msg/String (raises ValueError when malformed)."""
    endian = _endian(data)
    try:
        (length,) = struct.unpack_from(endian + "I", data, _HEADER)
    except struct.error:
        raise ValueError("payload ends before the string length") from None
    if _HEADER + 4 + length > len(data):
        raise ValueError(f"string of {length} bytes overruns the payload")
    return data[_HEADER + 4 : _HEADER + 4 + max(length - 1, 0)].decode()


def compressed_image(data: bytes | memoryview) -> tuple[str, int, int]:
    """The `format` of a CDR sensor_msgs/msg/CompressedImage and where its `data` bytes are
    (start, end offsets into `data`), so the image is sliced, not copied (raises ValueError)."""
    endian = _endian(data)
    u32 = struct.Struct(endian + "I").unpack_from
    try:
        offset = _HEADER + _STAMP
        offset += 4 + u32(data, offset)[0]  # frame_id
        offset = _align(offset, 4)
        length = u32(data, offset)[0]
        text = bytes(data[offset + 4 : offset + 4 + max(length - 1, 0)]).decode()
        offset = _align(offset + 4 + length, 4)
        (count,) = u32(data, offset)
    except struct.error:
        raise ValueError(f"payload of {len(data)} bytes ends inside its header") from None
    start = offset + 4
    if start + count > len(data):
        raise ValueError(f"payload of {len(data)} bytes ends inside its {count} bytes of data")
    return text, start, start + count
