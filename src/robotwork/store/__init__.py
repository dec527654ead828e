"""The telemetry store: recordings as partitioned Parquet, published whole by rename.

`TelemetryStore(root)` writes (`begin` -> `RecordingWriter` -> `commit`) and lists files;
`robotwork.store.read` reads them back (`scan_*` streams record batches, `read_*` loads a
table) and `robotwork.store.query` queries them in SQL through DuckDB views. The Arrow schemas
of the tables are `robotwork.store.schema`.
"""

from robotwork.store.parts import StoredFile, WriteOptions
from robotwork.store.telemetry import TelemetryStore
from robotwork.store.writer import CommitResult, RecordingWriter

__all__ = ["CommitResult", "RecordingWriter", "StoredFile", "TelemetryStore", "WriteOptions"]
