"""Every on-disk name of the telemetry store, in one place.

Published files live at ``{table}/date=YYYY-MM-DD/robot={serial}/{recording_id}-{part:04d}.parquet``
under the store root (hive partitioning, so DuckDB and pyarrow see `date` and `robot` columns).
A recording is written first under ``_staging/{recording_id}/{attempt}/`` with the same relative paths;
the leading underscore keeps it out of every table glob and out of pyarrow dataset discovery.
"""

import datetime as dt
import re
import time
import uuid

from robotwork.errors import StoreError
from robotwork.store.schema import TABLES

STAGING_DIR = "_staging"
PART_SUFFIX = ".parquet"
NS_PER_DAY = 86_400 * 1_000_000_000
_EPOCH = dt.date(1970, 1, 1)

# Recording ids are the hex SHA-256 of the upload; checking the shape also keeps glob and path
# characters out of the names we build from them.
_RECORDING_ID = re.compile(r"[0-9a-f]{64}")
# A serial becomes a folder name: no separators, no glob characters, no "=" (hive), no dot first.
_ROBOT_SERIAL = re.compile(r"[\w-][\w.-]*")
_ATTEMPT = re.compile(r"(\d{1,12})-[0-9a-f]{16}")


def check_recording_id(recording_id: str) -> str:
    """Return `recording_id` if it is a lowercase hex SHA-256, else raise StoreError."""
    if not _RECORDING_ID.fullmatch(recording_id):
        raise StoreError(f"recording id {recording_id!r} is not a lowercase hex SHA-256")
    return recording_id


def check_robot_serial(robot_serial: str) -> str:
    """Return `robot_serial` if it is safe as a folder name, else raise StoreError."""
    if not _ROBOT_SERIAL.fullmatch(robot_serial):
        raise StoreError(
            f"robot serial {robot_serial!r} cannot name a store folder "
            "(letters, digits, '.', '_', '-' only, not starting with '.')"
        )
    return robot_serial


def check_table(table: str) -> str:
    """Return `table` if the store keeps it, else raise StoreError."""
    if table not in TABLES:
        raise StoreError(f"unknown telemetry table {table!r} (expected one of {', '.join(TABLES)})")
    return table


def day_of(time_ns: int) -> int:
    """Days since 1970-01-01 of a UTC nanosecond time (floor, so times before 1970 work too)."""
    return time_ns // NS_PER_DAY


def date_text(day: int) -> str:
    """ISO date of a day number, as it appears in the `date=` folder name."""
    return (_EPOCH + dt.timedelta(days=day)).isoformat()


def partition_dir(table: str, date: str, robot_serial: str) -> str:
    """Folder of one table, date and robot, relative to the store root."""
    return f"{table}/date={date}/robot={robot_serial}"


def part_name(recording_id: str, part: int) -> str:
    """File name of one part of a recording within a partition folder."""
    return f"{recording_id}-{part:04d}{PART_SUFFIX}"


def recording_pattern(recording_id: str) -> str:
    """Glob, relative to a partition folder, matching every part of a recording."""
    return f"{recording_id}-*{PART_SUFFIX}"


def table_glob(table: str) -> str:
    """Glob, relative to the store root, of every published file of a table."""
    return f"{table}/date=*/robot=*/*{PART_SUFFIX}"


def recording_glob(table: str, recording_id: str) -> str:
    """Glob, relative to the store root, of every published file of a recording in a table."""
    return f"{table}/date=*/robot=*/{recording_pattern(recording_id)}"


def new_attempt(now_s: float | None = None) -> str:
    """A name for one attempt at writing a recording: its start time (whole seconds since
    1970, so leftovers can be aged on stores without folder times) and a random part."""
    return f"{int(time.time() if now_s is None else now_s)}-{uuid.uuid4().hex[:16]}"


def attempt_started(attempt: str) -> int | None:
    """Start time (s since 1970) of an attempt folder name, None for another name."""
    match = _ATTEMPT.fullmatch(attempt)
    return int(match.group(1)) if match else None


def staging_dir(recording_id: str, attempt: str) -> str:
    """Staging folder of one attempt at a recording, relative to the store root.

    Each attempt writes under its own folder, so two processes (or a process that was presumed
    dead) never write to, or delete, each other's staged files.
    """
    return f"{STAGING_DIR}/{recording_id}/{attempt}"
