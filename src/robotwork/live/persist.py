"""Where the live picture is kept: current rows in the registry, state changes in the store.

Current rows are upserted in one statement per batch (SQLite and PostgreSQL both speak
``INSERT ... ON CONFLICT``), so a flush costs one round trip however many robots changed. The
time series is Parquet under ``live_status/date=YYYY-MM-DD/`` in the telemetry store, written
through `StoreFiles` (staged, then published whole): it is not a recording, so it stays out of
the recording tables that ingest, rebuild and export walk.
"""

import json
import operator
import uuid
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.live.models import LiveRobotRow
from robotwork.live.tracker import RobotLive
from robotwork.store.files import StoreFiles
from robotwork.store.layout import NS_PER_DAY, date_text
from robotwork.store.read import scan_files

LIVE_DIR = "live_status"
_STAGING = "_staging/live"
EVENT_SCHEMA = pa.schema(
    [
        pa.field("time_ns", pa.int64(), nullable=False),
        pa.field("robot_serial", pa.string(), nullable=False),
        pa.field("connection", pa.string()),
        pa.field("control_mode", pa.string()),
        pa.field("status", pa.string(), nullable=False),
        pa.field("stale", pa.bool_(), nullable=False),
        pa.field("task", pa.string()),
        pa.field("site_id", pa.string()),
    ]
)
_COLUMNS = [c.name for c in LiveRobotRow.__table__.columns]


_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":{}", "named": ":{}"}


def _upsert_sql(paramstyle: str) -> str:
    """``INSERT ... ON CONFLICT DO UPDATE`` of every column (the same SQL in SQLite and PostgreSQL)."""
    mark = _PLACEHOLDER[paramstyle]
    marks = ", ".join(mark.format(i + 1) if "{}" in mark else mark for i in range(len(_COLUMNS)))
    updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c != "robot_serial")
    return (
        f"INSERT INTO {LiveRobotRow.__tablename__} ({', '.join(_COLUMNS)}) VALUES ({marks}) "
        f"ON CONFLICT (robot_serial) DO UPDATE SET {updates}"
    )


_VALUES = operator.attrgetter(*_COLUMNS)
_ERRORS = _COLUMNS.index("errors")


def _row(robot: RobotLive) -> tuple[Any, ...]:
    values = list(_VALUES(robot))
    values[_ERRORS] = json.dumps(values[_ERRORS])
    return tuple(values)


def write_rows(engine: Engine, robots: list[RobotLive]) -> None:
    """Upsert the current row of each robot, in one transaction.

    Plain DB-API `executemany` rather than an ORM or Core statement: at thousands of robots a
    second, SQLAlchemy's per-row parameter processing cost more than the database did.
    """
    if not robots:
        return
    sql = _upsert_sql(engine.dialect.paramstyle)
    with engine.begin() as connection:
        connection.exec_driver_sql(sql, [_row(r) for r in robots])


def read_rows(engine: Engine) -> list[RobotLive]:
    """Every robot's current row, as the tracker starts from after a restart."""
    with Session(engine) as session:
        return [
            RobotLive(**{name: getattr(row, name) for name in _COLUMNS})
            for row in session.scalars(select(LiveRobotRow))
        ]


def write_events(files: StoreFiles, events: list[dict[str, Any]]) -> list[str]:
    """Append state changes to the time series: one new file per day touched; their paths."""
    by_day: dict[int, list[dict[str, Any]]] = {}
    for event in events:
        by_day.setdefault(event["time_ns"] // NS_PER_DAY, []).append(event)
    written = []
    for day, rows in sorted(by_day.items()):
        name = f"{uuid.uuid4().hex}.parquet"
        staged, final = f"{_STAGING}/{name}", f"{LIVE_DIR}/date={date_text(day)}/{name}"
        files.makedirs(_STAGING)
        files.write_parquet(staged, pa.Table.from_pylist(rows, EVENT_SCHEMA))
        files.publish(staged, final)
        written.append(final)
    return written


def scan_events(
    files: StoreFiles, *, from_ns: int, to_ns: int, robot_serial: str | None = None
) -> Iterator[dict[str, Any]]:
    """State changes with from_ns <= time_ns < to_ns (of one robot, or all), in time order.

    Only the day folders the window touches are opened, so a day's query reads a day's files.
    """
    days = range(from_ns // NS_PER_DAY, (to_ns - 1) // NS_PER_DAY + 1)
    paths = [p for day in days for p in files.find(f"{LIVE_DIR}/date={date_text(day)}", "*.parquet")]
    if not paths:
        return
    dataset = scan_files(files, paths, EVENT_SCHEMA)
    where = (ds.field("time_ns") >= from_ns) & (ds.field("time_ns") < to_ns)
    if robot_serial is not None:
        where &= ds.field("robot_serial") == robot_serial
    table = dataset.to_table(filter=where)
    yield from table.sort_by([("time_ns", "ascending"), ("robot_serial", "ascending")]).to_pylist()
