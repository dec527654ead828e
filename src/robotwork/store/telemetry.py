"""The telemetry store: partitioned Parquet of every recording, on a folder or object store."""

from robotwork.errors import StoreError
from robotwork.ingest.schema import TABLES
from robotwork.store.files import StoreFiles
from robotwork.store.layout import (
    STAGING_DIR,
    check_recording_id,
    check_robot_serial,
    check_table,
    recording_glob,
    staging_dir,
    table_glob,
)
from robotwork.store.parts import WriteOptions
from robotwork.store.writer import RecordingWriter


class TelemetryStore:
    """Partitioned Parquet under `root` (local path or fsspec URL), written atomically.

    Layout: ``{table}/date=YYYY-MM-DD/robot={serial}/{recording_id}-{part:04d}.parquet`` with
    paths relative to the root; see `robotwork.store.layout`.
    """

    def __init__(
        self,
        root: str,
        *,
        max_rows_per_file: int = WriteOptions.max_rows_per_file,
        row_group_bytes: int = WriteOptions.row_group_bytes,
        max_bytes_per_file: int = WriteOptions.max_bytes_per_file,
    ) -> None:
        self.root = root
        self.files = StoreFiles(root)
        self.options = WriteOptions(max_rows_per_file, row_group_bytes, max_bytes_per_file)
        # Recordings being written through this object: their staging is not stale.
        self._writing: set[str] = set()

    def begin(self, recording_id: str, robot_serial: str) -> RecordingWriter:
        """Start writing a recording, clearing what a crashed earlier attempt left in staging."""
        check_recording_id(recording_id)
        check_robot_serial(robot_serial)
        if recording_id in self._writing:
            raise StoreError(f"recording {recording_id} is already being written")
        try:
            self.files.remove_tree(staging_dir(recording_id))
        except OSError as exc:
            raise StoreError(f"recording {recording_id}: cannot clear staging: {exc}") from exc
        self._writing.add(recording_id)
        return RecordingWriter(self.files, recording_id, robot_serial, self.options, self._writing.discard)

    def table_files(self, table: str) -> list[str]:
        """Every published file of a table, relative to the root, in path order."""
        check_table(table)
        return self.files.find(table, table_glob(table))

    def recording_files(self, recording_id: str, table: str | None = None) -> list[str]:
        """Published files of a recording (of one table, or all), relative to the root, sorted.

        This lists the table folders, so its cost grows with the store; the registry keeps the
        list a commit returned for everyday use.
        """
        check_recording_id(recording_id)
        tables = TABLES if table is None else (check_table(table),)
        return sorted(
            rel for name in tables for rel in self.files.find(name, recording_glob(name, recording_id))
        )

    def remove_recording(self, recording_id: str) -> list[str]:
        """Delete every published file of a recording (e.g. one the registry refused)."""
        rels = self.recording_files(recording_id)
        try:
            self.files.remove(rels)
        except OSError as exc:
            raise StoreError(f"recording {recording_id}: cannot remove files: {exc}") from exc
        return rels

    def clean_staging(self) -> list[str]:
        """Remove staging folders left by crashed writers; return their recording ids.

        Only writers opened through this object are known to be alive, so run it when no other
        process writes to the store (e.g. at the start of an ingest run).
        """
        stale = [rid for rid in self.files.subdirs(STAGING_DIR) if rid not in self._writing]
        try:
            for rid in stale:
                self.files.remove_tree(f"{STAGING_DIR}/{rid}")
        except OSError as exc:
            raise StoreError(f"cannot clean staging: {exc}") from exc
        return stale
