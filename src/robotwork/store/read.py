"""The store's read API: stored Parquet read back, lazily (`scan_*`) or loaded (`read_*`).

Everything outside `robotwork.store` reads telemetry through these functions, never through the
store's filesystem, so the same code reads a local folder and an S3 bucket. The `scan_*`
functions yield record batches, so memory holds the row group being decoded and one batch
(camera frames: about 32 MiB) whatever the recording's length; the `read_*` functions load a
table, for the small ones (events, fingerprints). A recording is named by its files as its
registry row lists them (listing the store's folders costs a walk of the table; the registry
keeps the list a commit returned). Columns and a time window narrow what is read: row groups
whose `time_ns` statistics fall outside the window are not read at all.
"""

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from robotwork.store.files import StoreFiles
from robotwork.store.layout import check_recording_id, check_table
from robotwork.store.schema import EVENT_SCHEMAS, IMAGE_SCHEMA, IMAGES, TableBatch, joint_schema
from robotwork.store.telemetry import TelemetryStore

_PARTITIONING = ds.partitioning(
    pa.schema([pa.field("date", pa.date32()), pa.field("robot", pa.string())]), flavor="hive"
)
_BATCH_ROWS = 65536
_IMAGE_BATCH_BYTES = 32 * 2**20


def table_of(rel: str) -> str:
    """The table a stored file belongs to (its first folder)."""
    return rel.split("/", 1)[0]


def contract_columns(table: str) -> list[str]:
    """The columns the contract gives a table (robotwork.store.schema), in schema order."""
    if table == IMAGES:
        return IMAGE_SCHEMA.names
    return EVENT_SCHEMAS[table].names if table in EVENT_SCHEMAS else joint_schema(1).names


@contextmanager
def open_part(store: TelemetryStore, rel: str) -> Iterator[pq.ParquetFile]:
    """One stored Parquet file (root-relative `rel`), open for its metadata and row groups.

    For readers that index a recording by row group (the exporter's windows and camera frames)
    and read one row group at a time; the file is closed when the block ends.
    """
    with store.files.arrow_fs.open_input_file(store.files.path(rel)) as handle:
        yield pq.ParquetFile(handle)


def read_file(store: TelemetryStore, rel: str, columns: Sequence[str] | None = None) -> pa.Table:
    """One whole stored Parquet file, loaded (small files only: fingerprints, event parts)."""
    with open_part(store, rel) as parquet:
        return parquet.read(columns=None if columns is None else list(columns), use_threads=False)


def scan_recording(
    store: TelemetryStore,
    files: Collection[str],
    *,
    tables: Collection[str] | None = None,
    columns: Mapping[str, Sequence[str]] | None = None,
    start_ns: int | None = None,
    end_ns: int | None = None,
) -> Iterator[TableBatch]:
    """Stream a recording's stored rows, table by table, file by file (date, then part order).

    `files` are the recording's parts (root-relative); `tables` keeps only those tables (their
    other files are never opened); `columns` narrows what is read per table (default: the
    contract's columns); `start_ns` / `end_ns` keep the rows with start <= time_ns <= end and
    skip the row groups whose statistics say they hold none. Camera frames come in batches of
    about 32 MiB, so a recording's frames are never all in memory.
    """
    for rel in sorted(files):
        table = table_of(rel)
        if tables is not None and table not in tables:
            continue
        wanted = list((columns or {}).get(table) or contract_columns(table))
        yield from (TableBatch(table, b) for b in _scan_part(store, rel, table, wanted, start_ns, end_ns))


def read_recording(
    store: TelemetryStore,
    files: Collection[str],
    tables: Collection[str],
    *,
    columns: Mapping[str, Sequence[str]] | None = None,
    start_ns: int | None = None,
    end_ns: int | None = None,
) -> dict[str, pa.Table]:
    """The recording's rows of `tables`, loaded: one Arrow table per table that has rows (in the window).

    For the small tables (control modes, interventions, tasks); stream the joint tables and the
    camera frames with `scan_recording` instead.
    """
    batches: dict[str, list[pa.RecordBatch]] = {}
    for part in scan_recording(
        store, files, tables=tables, columns=columns, start_ns=start_ns, end_ns=end_ns
    ):
        batches.setdefault(part.table, []).append(part.batch)
    return {name: pa.Table.from_batches(b) for name, b in batches.items() if b}


def scan_table(
    store: TelemetryStore,
    table: str,
    recording_id: str | None = None,
    *,
    columns: list[str] | None = None,
) -> Iterator[pa.RecordBatch]:
    """Stream a table's rows (of one recording, or all) as record batches, file by file, with
    the hive partition columns `date` (DATE) and `robot` (text).

    Each file is scanned on its own because recordings differ in joint count, and a dataset
    over many files would force the first file's fixed-size lists on all of them. This lists the
    table's folders; a reader that knows a recording's files uses `scan_recording`.
    """
    check_table(table)
    if recording_id is None:
        rels = store.table_files(table)
    else:
        rels = store.recording_files(check_recording_id(recording_id), table)
    base = store.files.path(table)
    for rel in rels:
        dataset = ds.dataset(
            [store.files.path(rel)],
            format="parquet",
            filesystem=store.files.arrow_fs,
            partitioning=_PARTITIONING,
            partition_base_dir=base,
        )
        yield from dataset.to_batches(columns=columns)


def scan_files(files: StoreFiles, rels: Sequence[str], schema: pa.Schema) -> ds.Dataset:
    """A lazy dataset over stored Parquet files of one schema that are no recording (the live
    time series): filters given to its scans skip the row groups that cannot match."""
    return ds.dataset(
        [files.path(rel) for rel in rels], schema=schema, format="parquet", filesystem=files.arrow_fs
    )


def _scan_part(
    store: TelemetryStore,
    rel: str,
    table: str,
    columns: list[str],
    start_ns: int | None,
    end_ns: int | None,
) -> Iterator[pa.RecordBatch]:
    """The batches of one file, of the row groups that may hold rows of the window, filtered."""
    windowed = start_ns is not None or end_ns is not None
    read = columns if not windowed or "time_ns" in columns else [*columns, "time_ns"]
    with open_part(store, rel) as parquet:
        groups = _groups_in(parquet.metadata, start_ns, end_ns)
        if not groups:
            return
        for batch in parquet.iter_batches(
            _batch_rows(parquet.metadata, table), row_groups=groups, columns=read, use_threads=False
        ):
            if windowed:
                batch = batch.filter(_in_window(batch.column("time_ns"), start_ns, end_ns))
                batch = batch.select(columns)
            if batch.num_rows:
                yield batch


def _groups_in(meta: pq.FileMetaData, start_ns: int | None, end_ns: int | None) -> list[int]:
    """Row groups that may hold times in [start, end]: all, without a window or statistics."""
    groups = [n for n in range(meta.num_row_groups) if meta.row_group(n).num_rows]
    if start_ns is None and end_ns is None:
        return groups
    column = [meta.schema.column(i).path for i in range(meta.num_columns)].index("time_ns")
    return [n for n in groups if _may_hold(meta.row_group(n).column(column).statistics, start_ns, end_ns)]


def _may_hold(stats: pq.Statistics | None, start_ns: int | None, end_ns: int | None) -> bool:
    """Whether a row group of these `time_ns` statistics may hold a time in [start, end]."""
    if stats is None or not stats.has_min_max:
        return True
    return (end_ns is None or stats.min <= end_ns) and (start_ns is None or stats.max >= start_ns)


def _in_window(times: pa.Array, start_ns: int | None, end_ns: int | None) -> pa.Array:
    """Mask of the times with start <= time <= end (an open side when None)."""
    if start_ns is None:
        return pc.less_equal(times, end_ns)
    if end_ns is None:
        return pc.greater_equal(times, start_ns)
    return pc.and_(pc.greater_equal(times, start_ns), pc.less_equal(times, end_ns))


def _batch_rows(meta: pq.FileMetaData, table: str) -> int:
    """Rows per batch: camera frames in batches of about 32 MiB, whatever their size."""
    if table != IMAGES or not meta.num_rows:
        return _BATCH_ROWS
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    return max(1, min(_BATCH_ROWS, _IMAGE_BATCH_BYTES * meta.num_rows // max(size, 1)))
