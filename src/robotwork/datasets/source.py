"""Reading one stored recording into the signals the exporter samples (one recording at a time).

The export holds one recording in memory, never the selection: memory stays flat however many
recordings are exported.
"""

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from robotwork.datasets.resample import RecordingSignals, Signal, mode_codes
from robotwork.ingest.schema import (
    CONTROL_MODE,
    EVENT_SCHEMAS,
    INTERVENTIONS,
    JOINT_COMMANDS,
    JOINT_STATES,
)
from robotwork.store.telemetry import TelemetryStore

EVENT_TABLES = (CONTROL_MODE, INTERVENTIONS)
SIGNAL_TABLES = (JOINT_STATES, JOINT_COMMANDS, *EVENT_TABLES)
_POSITIONS = ["time_ns", "position"]  # all a dataset takes of the joint tables
_COLUMNS = {JOINT_STATES: _POSITIONS, JOINT_COMMANDS: _POSITIONS}


def read_tables(store: TelemetryStore, files: list[str], tables: tuple[str, ...]) -> dict[str, pa.Table]:
    """The recording's rows of `tables` (only their files are opened), one Arrow table each.

    Files are read whole on the calling thread: a recording is held in memory anyway, and
    Arrow's own reader threads only contend with the export's reader and writer threads.
    """
    parts: dict[str, list[pa.Table]] = {}
    for rel in sorted(files):
        table = rel.split("/", 1)[0]
        if table not in tables:
            continue
        columns = _COLUMNS.get(table) or EVENT_SCHEMAS[table].names
        with store.files.arrow_fs.open_input_file(store.files.path(rel)) as handle:
            parts.setdefault(table, []).append(pq.read_table(handle, columns=columns, use_threads=False))
    return {name: pa.concat_tables(p) for name, p in parts.items()}


def _events(tables: dict[str, pa.Table], name: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    table = tables.get(name)
    if table is None or table.num_rows == 0:
        return np.zeros(0, np.int64), np.zeros(0, object)
    signal = Signal.from_table(table, column)
    return signal.times, signal.values


def load_signals(store: TelemetryStore, files: list[str]) -> RecordingSignals:
    """A recording's joint states, commands (None when it has none) and events, time-sorted."""
    tables = read_tables(store, files, SIGNAL_TABLES)
    if JOINT_STATES not in tables:
        raise ValueError("it has no joint states")
    commands = tables.get(JOINT_COMMANDS)
    mode_times, modes = _events(tables, CONTROL_MODE, "mode")
    event_times, _kinds = _events(tables, INTERVENTIONS, "kind")
    return RecordingSignals(
        state=Signal.from_table(tables[JOINT_STATES], "position"),
        action=Signal.from_table(commands, "position")
        if commands is not None and commands.num_rows
        else None,
        mode_times=mode_times,
        mode_codes=mode_codes(modes),
        event_times=event_times,
    )


def load_events(store: TelemetryStore, files: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Only the small event tables (control modes, interventions): enough to plan segments."""
    tables = read_tables(store, files, EVENT_TABLES)
    return {
        CONTROL_MODE: _events(tables, CONTROL_MODE, "mode"),
        INTERVENTIONS: _events(tables, INTERVENTIONS, "kind"),
    }
