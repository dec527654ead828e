"""Putting rows in time order without holding them: an out-of-core sort of Parquet files.

MCAP lets a recorder write messages out of log-time order; evidence needs each table in time
order. The rare partition that arrives out of order is sorted by DuckDB, which spills to disk
past its memory limit, and handed back in record batches of the table's own schema.
"""

import tempfile
from collections.abc import Iterator

import duckdb
import pyarrow as pa

from robotwork.store.files import StoreFiles

_MEMORY_LIMIT = "512MB"
_BATCH_ROWS = 65536


def sort_parquet(files: StoreFiles, paths: list[str], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """The rows of `paths` (filesystem paths of one table's files, in arrival order) sorted by
    `time_ns`, stably: equal times keep the order of the files and of the rows within them."""
    con = duckdb.connect(config={"memory_limit": _MEMORY_LIMIT, "temp_directory": tempfile.gettempdir()})
    try:
        if files.local:
            urls = paths
        else:
            con.register_filesystem(files.fs)
            urls = [files.fs.unstrip_protocol(p) for p in paths]
        order = {url: i for i, url in enumerate(urls)}
        con.execute("CREATE TEMP TABLE part_order (filename VARCHAR, part INTEGER)")
        con.executemany("INSERT INTO part_order VALUES (?, ?)", list(order.items()))
        columns = ", ".join(f'r."{name}"' for name in schema.names)
        reader = con.sql(
            f"SELECT {columns} FROM read_parquet(?, filename = true, file_row_number = true) r "
            "JOIN part_order USING (filename) ORDER BY r.time_ns, part_order.part, r.file_row_number",
            params=[urls],
        ).to_arrow_reader(_BATCH_ROWS)
        for batch in reader:
            yield _conform(batch, schema)
    finally:
        con.close()


def _conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """DuckDB hands fixed-size lists back as plain lists: cast each column to the table's type."""
    columns = [batch.column(i).cast(field.type) for i, field in enumerate(schema)]
    return pa.RecordBatch.from_arrays(columns, schema=schema)
