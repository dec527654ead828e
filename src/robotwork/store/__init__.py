"""The telemetry store: recordings as partitioned Parquet, published whole by rename.

`TelemetryStore(root)` writes (`begin` -> `RecordingWriter` -> `commit`) and lists files;
`robotwork.store.query` reads them back through DuckDB views or pyarrow scans.
"""

from robotwork.store.parts import StoredFile, WriteOptions
from robotwork.store.telemetry import TelemetryStore
from robotwork.store.writer import CommitResult, RecordingWriter

__all__ = ["CommitResult", "RecordingWriter", "StoredFile", "TelemetryStore", "WriteOptions"]
