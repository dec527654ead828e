"""JSON JointState payloads, parsed a block at a time by Arrow's JSON reader.

`json.loads` per message builds Python lists of floats and costs more than all the rest of
ingest; `pyarrow.json` parses newline-delimited JSON in C++ straight into list columns. JSON
allows raw newlines only as whitespace, so they are replaced by spaces where present. The
header stamp is ignored: a message's time is its MCAP log_time.
"""

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from robotwork.ingest.readers._block import BadMessage, MessageBlock
from robotwork.ingest.readers._cdr import LayoutCheck
from robotwork.ingest.readers._joints import JointRows, Vectors

_VECTOR = pa.list_(pa.float64())
_FIELDS = pa.schema(
    [("name", pa.list_(pa.string())), ("position", _VECTOR), ("velocity", _VECTOR), ("effort", _VECTOR)]
)
_PARSE = pj.ParseOptions(explicit_schema=_FIELDS, unexpected_field_behavior="ignore")


def decode_joint_states(block: MessageBlock, check: LayoutCheck) -> JointRows:
    """Decode a block of JSON JointStates; one layout for all rows (else BadMessage)."""
    table = _parse(block)
    position = table.column("position").combine_chunks()
    counts = _lengths(position, -1)
    n = int(counts[0])
    if n < 0:
        raise BadMessage(0, "JointState without a position array")
    names = table.column("name").combine_chunks()
    _check_utf8(names)
    first_names = names[0].as_py() or []
    problem = check(first_names, n)
    if problem:
        raise BadMessage(0, problem)
    _check_names(names, first_names)
    bad = np.flatnonzero(counts != n)
    if len(bad):
        raise BadMessage(
            int(bad[0]), f"joint layout changed: {counts[bad[0]]} positions where the recording has {n}"
        )
    values = _values(position).reshape(len(block), n)
    return JointRows(
        block.log_times,
        values,
        _optional(table.column("velocity").combine_chunks(), n, "velocity"),
        _optional(table.column("effort").combine_chunks(), n, "effort"),
    )


def _parse(block: MessageBlock) -> pa.Table:
    """Parse every payload as one newline-delimited document; locate the culprit on failure.

    A payload with raw newlines (whitespace, as in pretty-printed JSON) reads as several lines
    and fails; only then are they replaced by spaces and the block parsed again.
    """
    payloads = block.payloads()
    text = b"\n".join(payloads)
    error = _read(text, block)
    if isinstance(error, str) and text.count(b"\n") > len(payloads) - 1:
        error = _read(b"\n".join(bytes(p).replace(b"\n", b" ") for p in payloads), block)
    if isinstance(error, str):
        raise _culprit(payloads, error)
    return error


def _read(text: bytes, block: MessageBlock) -> pa.Table | str:
    """The parsed table, or why Arrow could not parse one row per message."""
    # blocks of an eighth of the text keep both cores busy; a block must hold a whole line
    longest = int((block.ends - block.starts).max())
    options = pj.ReadOptions(block_size=max(len(text) // 8, 2 * longest + 2))
    try:
        table = pj.read_json(pa.BufferReader(text), read_options=options, parse_options=_PARSE)
    except pa.ArrowInvalid as exc:
        return str(exc)
    if table.num_rows != len(block):
        return f"{table.num_rows} rows for {len(block)} messages"
    return table


def _check_utf8(names: pa.ListArray) -> None:
    """Arrow's JSON reader keeps string bytes as sent; refuse names that are not UTF-8 text
    (naming the message) before anything turns them into Python strings."""
    try:
        names.validate(full=True)
    except pa.ArrowInvalid:
        for row in range(len(names)):
            try:
                names[row].as_py()
            except UnicodeDecodeError as exc:
                raise BadMessage(
                    row, f"joint names are not UTF-8 text ({exc.reason} at byte {exc.start})"
                ) from None
        raise BadMessage(0, "joint names are not valid text") from None


def _culprit(payloads: list[memoryview], arrow_error: str) -> BadMessage:
    """Find the first payload that is not a JSON JointState object, one by one."""
    for row, payload in enumerate(payloads):
        try:
            message = json.loads(bytes(payload))
        except ValueError as exc:
            return BadMessage(row, f"not JSON ({exc})")
        if not isinstance(message, dict):
            return BadMessage(row, f"not a JSON object ({type(message).__name__})")
        for key in _FIELDS.names:
            value = message.get(key)
            if value is not None and not (
                isinstance(value, list)
                and all(isinstance(v, str if key == "name" else (int, float)) for v in value)
            ):
                return BadMessage(
                    row, f"{key} is not an array of {'strings' if key == 'name' else 'numbers'}"
                )
    return BadMessage(0, f"JSON JointStates unreadable ({arrow_error})")


def _lengths(lists: pa.ListArray, null: int) -> np.ndarray:
    return pc.fill_null(pc.list_value_length(lists), null).to_numpy()


def _values(lists: pa.ListArray) -> np.ndarray:
    return lists.flatten().to_numpy(zero_copy_only=False).astype(np.float64, copy=False)


def _check_names(names: pa.ListArray, first: list[str]) -> None:
    """Every row must carry the first row's names, in order: compared as bytes, in bulk."""
    counts = _lengths(names, 0)
    bad = np.flatnonzero(counts != len(first))
    if not len(bad) and first:
        flat = names.flatten()
        offsets = np.frombuffer(flat.buffers()[1], np.int32)
        offsets = offsets[flat.offset : flat.offset + len(flat) + 1]
        expected = np.tile(np.array([len(name.encode()) for name in first], np.int32), len(names))
        same_length = (np.diff(offsets) == expected).reshape(len(names), len(first)).all(axis=1)
        bad = np.flatnonzero(~same_length)
        if not len(bad):
            text = np.frombuffer(flat.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]
            first_text = np.frombuffer("".join(first).encode(), np.uint8)
            bad = np.flatnonzero(~(text.reshape(len(names), -1) == first_text).all(axis=1))
    if len(bad):
        row = int(bad[0])
        raise BadMessage(
            row,
            f"joint layout changed: names {(names[row].as_py() or [])[:3]}..."
            f" where the recording has {first[:3]}...",
        )


def _optional(lists: pa.ListArray, n: int, what: str) -> Vectors | None:
    """velocity / effort: per row absent (missing, null or empty) or one value per joint."""
    counts = _lengths(lists, 0)
    bad = np.flatnonzero((counts != 0) & (counts != n))
    if len(bad):
        raise BadMessage(int(bad[0]), f"{what} has {counts[bad[0]]} values for {n} joints")
    valid = counts == n
    if not valid.any():
        return None
    flat = _values(lists).reshape(-1, n)
    if valid.all():
        return Vectors(flat)
    values = np.zeros((len(counts), n))
    values[valid] = flat
    return Vectors(values, valid)
