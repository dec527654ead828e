"""The `/robotwork/*` events: JSON objects checked against the enums of schema.py, batched.

Events are rare (a few per minute), so they are decoded one by one; what matters is that a
value outside the enums is refused with the message that carried it, since every metric
downstream (operating time, success rate, interventions per hour) trusts these values.
"""

import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from robotwork.ingest.readers._block import BadMessage, MessageBlock
from robotwork.ingest.readers._cdr import decode_string
from robotwork.store.schema import (
    CONTROL_MODE,
    CONTROL_MODES,
    EVENT_SCHEMAS,
    INITIATORS,
    INTERVENTION_KINDS,
    INTERVENTIONS,
    TASK_EVENTS,
    TASKS,
    TableBatch,
)

# per table: (field, allowed values or None for free text, required)
_FIELDS: dict[str, tuple[tuple[str, tuple[str, ...] | None, bool], ...]] = {
    CONTROL_MODE: (("mode", CONTROL_MODES, True), ("operator", None, False)),
    TASKS: (("event", TASK_EVENTS, True), ("task", None, False)),
    INTERVENTIONS: (
        ("kind", INTERVENTION_KINDS, True),
        ("initiated_by", INITIATORS, False),
        ("reason", None, False),
    ),
}

Row = tuple[Any, ...]  # (time_ns, *fields) in the order of EVENT_SCHEMAS[table]


def event_row(table: str, time_ns: int, message: object) -> Row:
    """Check one decoded JSON value and return its row (raises TypeError / ValueError with
    the reason)."""
    if not isinstance(message, dict):
        raise TypeError(f"not a JSON object ({type(message).__name__})")
    row: list[Any] = [time_ns]
    for name, allowed, required in _FIELDS[table]:
        value = message.get(name)
        if value is None and not required:
            row.append(None)
            continue
        if not isinstance(value, str):
            raise TypeError(f"{name} is {'missing' if value is None else 'not a string'}")
        if allowed is not None and value not in allowed:
            raise ValueError(f"unknown {name} {value!r} (expected one of {', '.join(allowed)})")
        row.append(value)
    return tuple(row)


def decode_events(table: str, block: MessageBlock, encoding: str) -> list[Row]:
    """Decode a block of events; `encoding` is "json" (payload is the object) or "cdr"
    (payload is a std_msgs/msg/String holding it)."""
    rows = []
    times = block.log_times.tolist()
    for index in range(len(block)):
        payload = block.payload(index)
        try:
            text = decode_string(payload) if encoding == "cdr" else payload.decode()
        except ValueError as exc:  # UnicodeDecodeError included
            what = "std_msgs/msg/String" if encoding == "cdr" else "UTF-8 text"
            raise BadMessage(index, f"not JSON: not a {what} ({exc})") from None
        try:
            message = json.loads(text)
        except ValueError as exc:
            raise BadMessage(index, f"not JSON ({exc}): {text[:60]!r}") from None
        try:
            rows.append(event_row(table, times[index], message))
        except (TypeError, ValueError) as exc:
            raise BadMessage(index, str(exc)) from None
    return rows


class EventTable:
    """Accumulates event rows for one table and cuts batches of at most `batch_rows` rows."""

    def __init__(self, table: str) -> None:
        self.table = table
        self._rows: list[Row] = []

    def add(self, rows: list[Row]) -> None:
        self._rows.extend(rows)

    def batches(self, batch_rows: int, *, final: bool = False) -> Iterator[TableBatch]:
        """Yield full batches; with `final`, also the remainder."""
        while len(self._rows) >= batch_rows or (final and self._rows):
            part, self._rows = self._rows[:batch_rows], self._rows[batch_rows:]
            schema = EVENT_SCHEMAS[self.table]
            columns = [
                pa.array(list(column), field.type)
                for column, field in zip(zip(*part, strict=True), schema, strict=True)
            ]
            yield TableBatch(self.table, pa.RecordBatch.from_arrays(columns, schema=schema))
