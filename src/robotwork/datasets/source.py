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
_POSITIONS = ["time_ns", "position"]  # what a dataset takes of the joint tables, but velocities if asked
_COLUMNS = {JOINT_STATES: _POSITIONS, JOINT_COMMANDS: _POSITIONS}


def read_tables(
    store: TelemetryStore,
    files: list[str],
    tables: tuple[str, ...],
    columns: dict[str, list[str]] | None = None,
) -> dict[str, pa.Table]:
    """The recording's rows of `tables` (only their files are opened), one Arrow table each;
    `columns` overrides, per table, the columns read.

    Files are read whole on the calling thread: a recording is held in memory anyway, and
    Arrow's own reader threads only contend with the export's reader and writer threads.
    """
    parts: dict[str, list[pa.Table]] = {}
    for rel in sorted(files):
        table = rel.split("/", 1)[0]
        if table not in tables:
            continue
        wanted = (columns or {}).get(table) or _COLUMNS.get(table) or EVENT_SCHEMAS[table].names
        with store.files.arrow_fs.open_input_file(store.files.path(rel)) as handle:
            parts.setdefault(table, []).append(pq.read_table(handle, columns=wanted, use_threads=False))
    return {name: pa.concat_tables(p) for name, p in parts.items()}


def _events(tables: dict[str, pa.Table], name: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    table = tables.get(name)
    if table is None or table.num_rows == 0:
        return np.zeros(0, np.int64), np.zeros(0, object)
    signal = Signal.from_table(table, column)
    return signal.times, signal.values


def _state(table: pa.Table, velocities: bool) -> Signal:
    """Measured positions, then velocities when asked (and then every state must carry them)."""
    positions = Signal.from_table(table, "position")
    if not velocities:
        return positions
    missing = table.column("velocity").null_count
    if missing:
        raise ValueError(
            f"{missing:,} of its {table.num_rows:,} joint states carry no velocities "
            "(asked for with --velocities)"
        )
    return Signal(positions.times, np.hstack([positions.values, Signal.from_table(table, "velocity").values]))


def load_signals(store: TelemetryStore, files: list[str], *, velocities: bool = False) -> RecordingSignals:
    """A recording's joint states, commands (the measured positions when it has none) and events,
    time-sorted."""
    columns = {JOINT_STATES: [*_POSITIONS, "velocity"]} if velocities else None
    tables = read_tables(store, files, SIGNAL_TABLES, columns)
    if JOINT_STATES not in tables:
        raise ValueError("it has no joint states")
    commands = tables.get(JOINT_COMMANDS)
    if commands is None or not commands.num_rows:
        commands = tables[JOINT_STATES]
    mode_times, modes = _events(tables, CONTROL_MODE, "mode")
    event_times, _kinds = _events(tables, INTERVENTIONS, "kind")
    return RecordingSignals(
        state=_state(tables[JOINT_STATES], velocities),
        action=Signal.from_table(commands, "position"),
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
