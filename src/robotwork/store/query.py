"""The telemetry store in SQL: DuckDB views over every table, and sandboxed SQL from a person.

The views add the hive partition columns `date` (DATE) and `robot` (text: a serial such as
"0042" must not turn into a number). Streaming Arrow reads are in `robotwork.store.read`.
"""

import duckdb
import pyarrow as pa

from robotwork.errors import StoreError
from robotwork.store.layout import table_glob
from robotwork.store.schema import EVENT_SCHEMAS, IMAGE_SCHEMA, IMAGES, TABLES, joint_schema
from robotwork.store.telemetry import TelemetryStore

_DUCKDB_TYPES = {pa.int64(): "BIGINT", pa.float64(): "DOUBLE", pa.string(): "VARCHAR", pa.binary(): "BLOB"}


def connect(store: TelemetryStore) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table of the store.

    Views over files re-read the folder at each query, so files committed later are seen; a
    table without files at connect time gets an empty view with the right columns instead
    (DuckDB refuses a glob that matches nothing), until the next `connect`.
    """
    con = duckdb.connect()
    if not store.files.local:
        con.register_filesystem(store.files.fs)
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS {_view_query(store, table)}")
    return con


def _view_query(store: TelemetryStore, table: str) -> str:
    """SELECT over the table's files, or an empty SELECT of its columns when it has none."""
    if store.table_files(table):
        url = store.files.glob_url(table_glob(table)).replace("'", "''")
        return (
            f"SELECT * FROM read_parquet('{url}', hive_partitioning = true, "
            "hive_types = {'date': DATE, 'robot': VARCHAR})"
        )
    schema = EVENT_SCHEMAS.get(table) or (IMAGE_SCHEMA if table == IMAGES else joint_schema(1))
    columns = [f"NULL::{_duckdb_type(f.type)} AS {f.name}" for f in schema]
    columns += ["NULL::DATE AS date", "NULL::VARCHAR AS robot"]
    return f"SELECT {', '.join(columns)} WHERE false"


def _duckdb_type(arrow_type: pa.DataType) -> str:
    """DuckDB type of a contract column as DuckDB reads it back from Parquet.

    Fixed-size lists come back as plain lists (DOUBLE[]), whatever the joint count.
    """
    if pa.types.is_fixed_size_list(arrow_type):
        return f"{_duckdb_type(arrow_type.value_type)}[]"
    if arrow_type not in _DUCKDB_TYPES:
        raise StoreError(f"no DuckDB type for {arrow_type}")
    return _DUCKDB_TYPES[arrow_type]


# Statements a person's SQL may hold: reads only (no COPY, ATTACH, INSTALL, SET, CREATE, ...).
_READ_STATEMENTS = ("SELECT", "EXPLAIN")


def run_untrusted_sql(store: TelemetryStore, sql: str) -> duckdb.DuckDBPyConnection:
    """Run SQL text from a person over the store's views, sandboxed, and return the cursor.

    The connection reads only the store's own files (`allowed_directories` is the store root,
    external access is off, extensions neither install nor load, and the configuration is
    locked so the SQL cannot undo any of it); only SELECT and EXPLAIN statements run, so
    nothing is written anywhere. Raises `duckdb.Error` for SQL it refuses or cannot run.
    """
    con = connect(store)
    root = store.files.root if store.files.local else store.files.fs.unstrip_protocol(store.files.root)
    con.execute("SET allowed_directories = ?", [[root.rstrip("/") + "/"]])
    for setting in ("autoinstall_known_extensions", "autoload_known_extensions", "enable_external_access"):
        con.execute(f"SET {setting} = false")
    con.execute("SET lock_configuration = true")
    statements = con.extract_statements(sql)
    if not statements:
        raise duckdb.InvalidInputException("no SQL statement given")
    for statement in statements:
        if statement.type.name not in _READ_STATEMENTS:
            raise duckdb.PermissionException(
                f"only SELECT queries run here, not {statement.type.name} (the store is read only)"
            )
    cursor = con
    for statement in statements:
        cursor = con.execute(statement)
    return cursor
