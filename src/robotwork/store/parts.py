"""Part files of one partition of one recording: streamed, rolled over, in large row groups."""

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from robotwork.errors import StoreError
from robotwork.store.files import StoreFiles
from robotwork.store.layout import part_name


@dataclass(frozen=True)
class WriteOptions:
    """How recordings are cut into files and row groups.

    `row_group_bytes` bounds what is buffered per open partition (memory stays flat whatever
    the recording's length) while keeping row groups large for DuckDB's parallel scans;
    `max_rows_per_file` keeps files of a long recording at a size object stores handle well, and
    `max_bytes_per_file` does the same for tables of few, large rows (camera frames: a million
    of them would be tens of GB). Bytes are Arrow's in memory, counted at whole row groups.
    """

    max_rows_per_file: int = 1_000_000
    row_group_bytes: int = 32 * 2**20
    max_bytes_per_file: int = 1 << 30

    def __post_init__(self) -> None:
        if self.max_rows_per_file < 1 or self.row_group_bytes < 1 or self.max_bytes_per_file < 1:
            raise StoreError(f"write options must be positive: {self}")


@dataclass(frozen=True)
class StoredFile:
    """One whole Parquet file of a recording; `path` is relative to the store root."""

    path: str
    table: str
    rows: int
    bytes: int


def parquet_options(schema: pa.Schema) -> dict[str, Any]:
    """ParquetWriter options for a table schema, chosen for speed and size of joint data.

    Byte-stream-split floats compress better under zstd and write faster than dictionary or
    plain pages; delta-encoded times shrink to almost nothing; only strings are dictionary
    coded; statistics only where a filter can use them (not on float vectors). Binary columns
    (camera frames, JPEG or PNG already) are stored plain: compressing them again costs time
    and gains nothing, and statistics of image bytes mean nothing.
    """
    encodings: dict[str, str] = {"time_ns": "DELTA_BINARY_PACKED"}
    dictionary: list[str] = []
    statistics: list[str] = []
    plain: list[str] = []
    for field in schema:
        if pa.types.is_fixed_size_list(field.type):
            encodings[f"{field.name}.list.element"] = "BYTE_STREAM_SPLIT"
        elif pa.types.is_binary(field.type):
            encodings[field.name] = "PLAIN"
            plain.append(field.name)
        else:
            statistics.append(field.name)
            if pa.types.is_string(field.type):
                dictionary.append(field.name)
    return {
        # per column only when needed: columns missing from a per-column map go uncompressed
        "compression": {f.name: "none" if f.name in plain else "zstd" for f in schema} if plain else "zstd",
        "use_dictionary": dictionary,
        "write_statistics": statistics,
        "column_encoding": encodings,
    }


class PartitionWriter:
    """Writes one (table, date) partition of a recording as numbered part files.

    Files are written under `staging` (invisible to readers) at the relative path they will be
    published under; `close` returns them for the recording writer to publish.
    """

    def __init__(
        self,
        files: StoreFiles,
        staging: str,
        rel_dir: str,
        table: str,
        recording_id: str,
        schema: pa.Schema,
        options: WriteOptions,
    ) -> None:
        self._files = files
        self._staging = staging
        self._rel_dir = rel_dir
        self._table = table
        self._recording_id = recording_id
        self._schema = schema
        self._options = options
        self._parquet_options = parquet_options(schema)
        self._writer: pq.ParquetWriter | None = None
        self._part = 0
        self._file_rows = 0
        self._file_bytes = 0
        self._buffer: list[pa.RecordBatch] = []
        self._buffer_rows = 0
        self._buffer_bytes = 0
        self._done: list[StoredFile] = []

    def append(self, batch: pa.RecordBatch) -> None:
        """Add rows; a row group is written once enough bytes are buffered or the file is full."""
        while batch.num_rows:
            room = self._options.max_rows_per_file - self._file_rows - self._buffer_rows
            head, batch = batch.slice(0, room), batch.slice(room)
            self._buffer.append(head)
            self._buffer_rows += head.num_rows
            self._buffer_bytes += head.nbytes
            if self._file_rows + self._buffer_rows >= self._options.max_rows_per_file:
                self._flush()
                self._close_file()
            elif self._buffer_bytes >= self._options.row_group_bytes:
                self._flush()
                if self._file_bytes >= self._options.max_bytes_per_file:
                    self._close_file()

    def close(self) -> list[StoredFile]:
        """Write what is buffered, close the open file, and return every file written."""
        self._flush()
        if self._writer is not None:
            self._close_file()
        return self._done

    def discard(self) -> None:
        """Close the open file without caring for its content (the caller deletes staging)."""
        self._buffer = []
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def _staged(self) -> str:
        return f"{self._staging}/{self._rel_dir}/{part_name(self._recording_id, self._part)}"

    def _flush(self) -> None:
        if not self._buffer_rows:
            return
        if self._writer is None:
            self._files.makedirs(f"{self._staging}/{self._rel_dir}")
            self._writer = pq.ParquetWriter(
                self._files.path(self._staged()),
                self._schema,
                filesystem=self._files.arrow_fs,
                **self._parquet_options,
            )
        table = pa.Table.from_batches(self._buffer, schema=self._schema)
        self._writer.write_table(table, row_group_size=self._buffer_rows)
        self._file_rows += self._buffer_rows
        self._file_bytes += self._buffer_bytes
        self._buffer, self._buffer_rows, self._buffer_bytes = [], 0, 0

    def _close_file(self) -> None:
        assert self._writer is not None
        self._writer.close()
        self._writer = None
        staged = self._staged()
        rel = staged[len(self._staging) + 1 :]
        self._done.append(StoredFile(rel, self._table, self._file_rows, self._files.size(staged)))
        self._part += 1
        self._file_rows = self._file_bytes = 0
