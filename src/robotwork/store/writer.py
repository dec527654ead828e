"""Writing one recording: stream batches to staged part files, then publish them by rename.

Nothing a reader can see is ever partial: files grow under ``_staging/{recording_id}/`` and a
whole file appears in its table folder in one rename. Re-running a recording after a crash
writes the same files under the same names, so a half-published set is completed, not doubled.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Self

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from robotwork.errors import StoreError
from robotwork.store.files import StoreFiles
from robotwork.store.layout import (
    NS_PER_DAY,
    check_table,
    date_text,
    day_of,
    partition_dir,
    recording_pattern,
)
from robotwork.store.ordering import sort_parquet
from robotwork.store.parts import PartitionWriter, StoredFile, WriteOptions
from robotwork.store.schema import EVENT_SCHEMAS, IMAGE_SCHEMA, IMAGES, TableBatch, joint_schema


@dataclass(frozen=True)
class CommitResult:
    """What a commit published: every file, whole, with its rows and bytes."""

    recording_id: str
    files: tuple[StoredFile, ...]

    @property
    def rows(self) -> dict[str, int]:
        """Rows written per table (tables without rows are absent)."""
        rows: dict[str, int] = {}
        for f in self.files:
            rows[f.table] = rows.get(f.table, 0) + f.rows
        return rows

    @property
    def bytes(self) -> int:
        """Total size of the published files."""
        return sum(f.bytes for f in self.files)


class RecordingWriter:
    """Writes the tables of one recording; nothing is visible until `commit`.

    Use it as a context manager: leaving the block without `commit` (on an exception or not)
    aborts, so a half-written recording never reaches the table folders.
    """

    def __init__(
        self,
        files: StoreFiles,
        recording_id: str,
        robot_serial: str,
        options: WriteOptions,
        on_finish: Callable[[str], None],
        *,
        staging: str,
    ) -> None:
        self.recording_id = recording_id
        self.robot_serial = robot_serial
        self._files = files
        self._options = options
        self._on_finish = on_finish
        self._staging = staging
        self._partitions: dict[tuple[str, int], PartitionWriter] = {}
        # last time written per partition; partitions whose rows went back in time
        self._last_ns: dict[tuple[str, int], int] = {}
        self._unordered: set[tuple[str, int]] = set()
        self._schemas: dict[str, pa.Schema] = {}
        self._open = True

    def write(self, table_batch: TableBatch) -> None:
        """Append a batch to its table; batches of all tables may come in any order."""
        self._require_open()
        batch = self._conform(table_batch)
        with self._errors("write"):
            for day, rows in _split_by_day(batch):
                self._note_order((table_batch.table, day), rows)
                self._partition(table_batch.table, day, batch.schema).append(rows)

    def commit(self) -> CommitResult:
        """Close every file and move each into its table folder; return what was published."""
        self._require_open()
        with self._errors("commit"):
            staged: list[tuple[str, StoredFile]] = []
            for key, part in self._partitions.items():
                files = part.close()
                if key in self._unordered:
                    sorted_dir = f"{self._staging}/sorted"
                    staged += [(f"{sorted_dir}/{f.path}", f) for f in self._sorted(key, files, sorted_dir)]
                else:
                    staged += [(f"{self._staging}/{f.path}", f) for f in files]
            for src, f in staged:
                self._files.publish(src, f.path)
            published = [f for _, f in staged]
            self._remove_stale(published)
            self._remove_staging()
        self._finish()
        return CommitResult(self.recording_id, tuple(published))

    def abort(self) -> None:
        """Drop everything staged; published files of an earlier commit stay as they are."""
        if not self._open:
            return
        try:
            with self._errors("abort"):
                for part in self._partitions.values():
                    part.discard()
                self._remove_staging()
        finally:
            self._finish()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.abort()

    def _require_open(self) -> None:
        if not self._open:
            raise StoreError(f"recording {self.recording_id}: writer already committed or aborted")

    def _finish(self) -> None:
        self._open = False
        self._on_finish(self.recording_id)

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn filesystem and Arrow failures into one StoreError naming the recording."""
        try:
            yield
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(f"recording {self.recording_id}: {action} failed: {exc}") from exc

    def _conform(self, table_batch: TableBatch) -> pa.RecordBatch:
        """The batch in its table's contract schema; one joint layout per table per recording."""
        table = check_table(table_batch.table)
        where = f"recording {self.recording_id}, table {table}"
        expected = _expected_schema(table, table_batch.batch, where)
        batch = _to_schema(table_batch.batch, expected, where)
        known = self._schemas.setdefault(table, batch.schema)
        if not known.equals(batch.schema):
            raise StoreError(
                f"{where}: batches disagree on the joint layout "
                f"({known.field('position').type} then {batch.schema.field('position').type})"
            )
        return batch

    def _remove_staging(self) -> None:
        """Delete this attempt's staging, and the recording's folder if no other attempt is in it."""
        self._files.remove_tree(self._staging)
        self._files.remove_empty_dir(self._staging.rsplit("/", 1)[0])

    def _partition(
        self, table: str, day: int, schema: pa.Schema, staging: str | None = None
    ) -> PartitionWriter:
        key = (table, day)
        if key not in self._partitions or staging is not None:
            rel_dir = partition_dir(table, date_text(day), self.robot_serial)
            writer = PartitionWriter(
                self._files,
                staging or self._staging,
                rel_dir,
                table,
                self.recording_id,
                schema,
                self._options,
            )
            if staging is not None:
                return writer
            self._partitions[key] = writer
        return self._partitions[key]

    def _note_order(self, key: tuple[str, int], rows: pa.RecordBatch) -> None:
        """Remember whether a partition's rows still come in time order (MCAP allows any)."""
        if key in self._unordered:
            return
        times = rows.column("time_ns").to_numpy()
        last = self._last_ns.get(key)
        if (last is not None and times[0] < last) or bool(np.any(np.diff(times) < 0)):
            self._unordered.add(key)
        self._last_ns[key] = int(times[-1])

    def _sorted(self, key: tuple[str, int], files: list[StoredFile], sorted_dir: str) -> list[StoredFile]:
        """Rewrite a partition's staged files in time order, ties in arrival order.

        Evidence reads each table in time order. DuckDB sorts out of core (spilling to its temp
        folder), so a long partition is never held in memory; the unsorted files are dropped.
        """
        table, day = key
        schema = self._schemas[table]
        sources = [self._files.path(f"{self._staging}/{f.path}") for f in files]
        resorted = self._partition(table, day, schema, staging=sorted_dir)
        for batch in sort_parquet(self._files, sources, schema):
            # in slices of about a row group, so the sorted files keep the usual row groups
            step = max(1, self._options.row_group_bytes * batch.num_rows // max(batch.nbytes, 1))
            for start in range(0, batch.num_rows, step):
                resorted.append(batch.slice(start, step))
        out = resorted.close()
        self._files.remove([f"{self._staging}/{f.path}" for f in files])
        return out

    def _remove_stale(self, published: list[StoredFile]) -> None:
        """Delete earlier parts of this recording that this commit did not rewrite.

        An earlier commit with other write options may have cut a partition into more parts;
        left in place they would count twice. Only the partitions written now are looked at.
        """
        keep = {f.path for f in published}
        folders = {f.path.rsplit("/", 1)[0] for f in published}
        stale = [
            rel
            for folder in sorted(folders)
            for rel in self._files.find(folder, f"{folder}/{recording_pattern(self.recording_id)}")
            if rel not in keep
        ]
        self._files.remove(stale)


def _expected_schema(table: str, batch: pa.RecordBatch, where: str) -> pa.Schema:
    """The contract schema of `table`; joint tables take the joint count from the batch."""
    if table in EVENT_SCHEMAS:
        return EVENT_SCHEMAS[table]
    if table == IMAGES:
        return IMAGE_SCHEMA
    if "position" not in batch.schema.names:
        raise StoreError(f"{where}: no position column in {batch.schema.names}")
    position = batch.schema.field("position").type
    if not pa.types.is_fixed_size_list(position):
        raise StoreError(f"{where}: joint vectors must be fixed-size lists, not {position}")
    return joint_schema(position.list_size)


def _to_schema(batch: pa.RecordBatch, schema: pa.Schema, where: str) -> pa.RecordBatch:
    """Cast a batch to `schema` (readers may differ in nullability or metadata), or refuse it."""
    if batch.schema.names != schema.names:
        raise StoreError(f"{where}: columns {batch.schema.names} do not match {schema.names}")
    if not batch.schema.equals(schema):
        try:
            columns = [col.cast(f.type) for col, f in zip(batch.columns, schema, strict=True)]
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
            raise StoreError(f"{where}: batch does not fit the table schema: {exc}") from exc
        batch = pa.RecordBatch.from_arrays(columns, schema=schema)
    for field, col in zip(schema, batch.columns, strict=True):
        if not field.nullable and col.null_count:
            raise StoreError(f"{where}: column {field.name} has {col.null_count} nulls")
    return batch


def _split_by_day(batch: pa.RecordBatch) -> Iterator[tuple[int, pa.RecordBatch]]:
    """The batch's rows grouped by UTC date, each group in its original order."""
    if not batch.num_rows:
        return
    bounds = pc.min_max(batch.column("time_ns"))
    first, last = day_of(bounds["min"].as_py()), day_of(bounds["max"].as_py())
    if first == last:
        yield first, batch
        return
    days = batch.column("time_ns").to_numpy() // NS_PER_DAY
    for day in np.unique(days):
        yield int(day), batch.filter(pa.array(days == day))
