"""The telemetry store: partitioned Parquet of every recording, on a folder or object store."""

import time

from robotwork.errors import StoreError
from robotwork.store.files import StoreFiles
from robotwork.store.layout import (
    STAGING_DIR,
    attempt_started,
    check_recording_id,
    check_robot_serial,
    check_table,
    new_attempt,
    recording_glob,
    staging_dir,
    table_glob,
)
from robotwork.store.parts import WriteOptions
from robotwork.store.schema import TABLES
from robotwork.store.writer import RecordingWriter

# Staging attempts older than this are leftovers of killed runs (docs/ingest.md).
STALE_STAGING_S = 3600.0


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

    def begin(self, recording_id: str, robot_serial: str, *, attempt: str | None = None) -> RecordingWriter:
        """Start writing a recording in a staging folder of this attempt's own.

        What crashed attempts left is not touched here (another process may still be writing
        its own attempt): `clean_staging` removes it once it is old.
        """
        check_recording_id(recording_id)
        check_robot_serial(robot_serial)
        if recording_id in self._writing:
            raise StoreError(f"recording {recording_id} is already being written")
        self._writing.add(recording_id)
        staging = staging_dir(recording_id, attempt or new_attempt())
        return RecordingWriter(
            self.files, recording_id, robot_serial, self.options, self._writing.discard, staging=staging
        )

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

    def clean_staging(
        self, *, older_than_s: float = STALE_STAGING_S, now_s: float | None = None
    ) -> list[str]:
        """Remove staging attempts older than `older_than_s`; return their folders.

        Safe while other processes write: an attempt's age is in its name, and no live ingest
        runs for an hour without publishing. Folders of another shape (an older version's
        layout) are leftovers too.
        """
        cutoff = (time.time() if now_s is None else now_s) - older_than_s
        removed = []
        try:
            for rid in self.files.subdirs(STAGING_DIR):
                attempts = self.files.subdirs(f"{STAGING_DIR}/{rid}")
                old = [a for a in attempts if (attempt_started(a) or 0) < cutoff]
                if old and len(old) == len(attempts) and rid not in self._writing:
                    self.files.remove_tree(f"{STAGING_DIR}/{rid}")
                else:
                    for attempt in old:
                        self.files.remove_tree(f"{STAGING_DIR}/{rid}/{attempt}")
                removed += [f"{STAGING_DIR}/{rid}/{a}" for a in old]
        except OSError as exc:
            raise StoreError(f"cannot clean staging: {exc}") from exc
        return removed
