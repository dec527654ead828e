"""Reading one stored recording into the signals the exporter samples (one recording at a time).

The export holds one recording in memory, never the selection: memory stays flat however many
recordings are exported.
"""

import numpy as np
import pyarrow as pa

from robotwork.datasets.resample import RecordingSignals, Signal, mode_codes
from robotwork.evidence.derived import read_recording
from robotwork.ingest.schema import CONTROL_MODE, INTERVENTIONS, JOINT_COMMANDS, JOINT_STATES, TABLES
from robotwork.store.telemetry import TelemetryStore

EVENT_TABLES = (CONTROL_MODE, INTERVENTIONS)
_POSITIONS = ["time_ns", "position"]  # all a dataset takes of the joint tables
_COLUMNS = {JOINT_STATES: _POSITIONS, JOINT_COMMANDS: _POSITIONS}


def read_tables(
    store: TelemetryStore, files: list[str], tables: tuple[str, ...] = TABLES
) -> dict[str, pa.Table]:
    """The recording's rows of `tables` (only their files are opened), one Arrow table each."""
    wanted = [rel for rel in files if rel.split("/", 1)[0] in tables]
    batches: dict[str, list[pa.RecordBatch]] = {}
    for item in read_recording(store, wanted, _COLUMNS):
        batches.setdefault(item.table, []).append(item.batch)
    return {name: pa.Table.from_batches(b) for name, b in batches.items() if b}


def _events(tables: dict[str, pa.Table], name: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    table = tables.get(name)
    if table is None or table.num_rows == 0:
        return np.zeros(0, np.int64), np.zeros(0, object)
    signal = Signal.from_table(table, column)
    return signal.times, signal.values


def load_signals(store: TelemetryStore, files: list[str]) -> RecordingSignals:
    """A recording's joint states, commands (None when it has none) and events, time-sorted."""
    tables = read_tables(store, files)
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
