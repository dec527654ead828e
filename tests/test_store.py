"""The telemetry store: round trips, partitioning, roll-over, abort, idempotence, DuckDB views."""

import hashlib
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from robotwork.errors import StoreError
from robotwork.store import TelemetryStore
from robotwork.store.query import connect
from robotwork.store.read import open_part, read_file, read_recording, scan_recording, scan_table
from robotwork.store.schema import (
    CONTROL_MODE,
    EVENT_SCHEMAS,
    INTERVENTIONS,
    JOINT_COMMANDS,
    JOINT_STATES,
    TASKS,
    TableBatch,
    joint_schema,
)

MIDNIGHT_NS = 1_767_225_600 * 10**9  # 2026-01-01T00:00:00Z
MS = 1_000_000


def rid(name: str) -> str:
    """A recording id shaped like the real ones (hex SHA-256)."""
    return hashlib.sha256(name.encode()).hexdigest()


def joint_batch(times: np.ndarray, n_joints: int = 4, seed: int = 0) -> pa.RecordBatch:
    """Joint rows with random values; every third row has no velocity, effort is all null."""
    rng = np.random.default_rng(seed)
    vec = pa.list_(pa.float64(), n_joints)
    pos = rng.normal(size=(len(times), n_joints))
    vel = [None if i % 3 == 0 else list(row) for i, row in enumerate(rng.normal(size=pos.shape))]
    return pa.RecordBatch.from_arrays(
        [
            pa.array(times, pa.int64()),
            pa.FixedSizeListArray.from_arrays(pa.array(pos.ravel()), n_joints),
            pa.array(vel, vec),
            pa.nulls(len(times), vec),
        ],
        schema=joint_schema(n_joints),
    )


def event_batch(table: str, times: np.ndarray) -> pa.RecordBatch:
    """Event rows of `table` with text in every column (the optional ones sometimes null)."""
    schema = EVENT_SCHEMAS[table]
    columns = [pa.array(times, pa.int64())]
    for i, field in enumerate(schema.names[1:]):
        values = [f"{field}-{k}" if (k + i) % 4 else None for k in range(len(times))]
        if not schema.field(field).nullable:
            values = [f"{field}-{k}" for k in range(len(times))]
        columns.append(pa.array(values, pa.string()))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def span(start_ns: int, rows: int, step_ns: int = 20 * MS) -> np.ndarray:
    return start_ns + np.arange(rows, dtype=np.int64) * step_ns


@pytest.fixture(params=["local", "memory", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TelemetryStore]:
    """An empty store on a local folder, on fsspec's in-memory filesystem and on S3 (SeaweedFS)."""
    if request.param == "local":
        yield TelemetryStore(str(tmp_path / "telemetry"))
        return
    if request.param == "s3":
        yield TelemetryStore(request.getfixturevalue("s3_root"))
        return
    root = f"memory://rw-{uuid.uuid4().hex}"
    yield TelemetryStore(root)
    memory = fsspec.filesystem("memory")
    if memory.exists(root):
        memory.rm(root, recursive=True)


def write(store: TelemetryStore, recording: str, batches: list[TableBatch], robot: str = "SN-1"):
    with store.begin(rid(recording), robot) as writer:
        for tb in batches:
            writer.write(tb)
        return writer.commit()


def read(store: TelemetryStore, table: str, recording: str) -> pa.Table:
    """A table of one recording as written: partition columns dropped, contract schema."""
    batches = list(scan_table(store, table, rid(recording)))
    return pa.Table.from_batches(batches).drop_columns(["date", "robot"])


def visible_files(store: TelemetryStore) -> list[str]:
    """Every file anywhere under the root, relative to it."""
    return store.files.find("", "*")


def test_round_trip_is_exact_for_every_table(store: TelemetryStore) -> None:
    js = [joint_batch(span(MIDNIGHT_NS + i * 10**9, 50), seed=i) for i in range(3)]
    jc = joint_batch(span(MIDNIGHT_NS, 120), seed=9)
    events = {t: event_batch(t, span(MIDNIGHT_NS, 7, 10**9)) for t in EVENT_SCHEMAS}
    interleaved = [
        TableBatch(JOINT_STATES, js[0]),
        TableBatch(CONTROL_MODE, events[CONTROL_MODE]),
        TableBatch(JOINT_COMMANDS, jc),
        TableBatch(JOINT_STATES, js[1]),
        TableBatch(TASKS, events[TASKS]),
        TableBatch(INTERVENTIONS, events[INTERVENTIONS]),
        TableBatch(JOINT_STATES, js[2]),
    ]
    result = write(store, "round-trip", interleaved)

    assert result.rows == {
        JOINT_STATES: 150,
        JOINT_COMMANDS: 120,
        CONTROL_MODE: 7,
        TASKS: 7,
        INTERVENTIONS: 7,
    }
    assert result.bytes == sum(store.files.size(f.path) for f in result.files)
    assert sorted(f.path for f in result.files) == store.recording_files(rid("round-trip"))
    assert read(store, JOINT_STATES, "round-trip").equals(pa.Table.from_batches(js))
    assert read(store, JOINT_COMMANDS, "round-trip").equals(pa.Table.from_batches([jc]))
    for table, batch in events.items():
        assert read(store, table, "round-trip").equals(pa.Table.from_batches([batch]))
    [states] = [f.path for f in result.files if f.table == JOINT_STATES]
    stored = read_file(store, states)
    assert stored.schema.field("position").type == pa.list_(pa.float64(), 4)
    assert stored.column("velocity").null_count == 3 * 17  # rows 0, 3, ... of each batch of 50


def test_recording_across_utc_midnight_lands_in_two_date_partitions(store: TelemetryStore) -> None:
    times = span(MIDNIGHT_NS - 2 * 10**9, 200)  # 23:59:58 .. 00:00:01.98
    result = write(store, "midnight", [TableBatch(JOINT_STATES, joint_batch(times))], "R2")

    by_date = {f.path.split("/")[1]: f for f in result.files}
    assert set(by_date) == {"date=2025-12-31", "date=2026-01-01"}
    assert by_date["date=2025-12-31"].rows == 100 and by_date["date=2026-01-01"].rows == 100
    assert all(f.path.split("/")[2] == "robot=R2" for f in result.files)
    con = connect(store)
    rows = con.execute(
        "SELECT date::VARCHAR, min(time_ns) >= epoch_ns(date::TIMESTAMP), count(*) "
        "FROM joint_states GROUP BY date ORDER BY date"
    ).fetchall()
    assert rows == [("2025-12-31", True, 100), ("2026-01-01", True, 100)]
    assert read(store, JOINT_STATES, "midnight").column("time_ns").to_numpy().tolist() == list(times)


def test_parts_roll_over_at_the_row_limit(tmp_path: Path) -> None:
    store = TelemetryStore(str(tmp_path), max_rows_per_file=1000, row_group_bytes=10_000)
    batches = [
        TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS + i * 10**10, 300), seed=i)) for i in range(12)
    ]
    result = write(store, "roll", batches)

    names = [f.path.rsplit("-", 1)[1] for f in result.files]
    assert names == ["0000.parquet", "0001.parquet", "0002.parquet", "0003.parquet"]
    assert [f.rows for f in result.files] == [1000, 1000, 1000, 600]
    assert pq.ParquetFile(store.files.path(result.files[0].path)).num_row_groups > 1
    assert read(store, JOINT_STATES, "roll").equals(pa.Table.from_batches([tb.batch for tb in batches]))


def test_parts_roll_over_at_the_byte_limit(tmp_path: Path) -> None:
    """Few, large rows (camera frames) roll over by bytes long before the row limit."""
    from robotwork.store.schema import IMAGE_SCHEMA, IMAGES

    store = TelemetryStore(str(tmp_path), row_group_bytes=250_000, max_bytes_per_file=600_000)
    frames = [
        TableBatch(
            IMAGES,
            pa.record_batch(
                [
                    pa.array(MIDNIGHT_NS + np.arange(10, dtype=np.int64) + 10 * i),
                    pa.array(["front"] * 10),
                    pa.array(["jpeg"] * 10),
                    pa.array([bytes([i]) * 10_000] * 10, pa.binary()),
                ],
                schema=IMAGE_SCHEMA,
            ),
        )
        for i in range(12)
    ]
    result = write(store, "big", frames)

    # row groups of 30 frames (~300 kB); the file is closed once it holds 600 kB: 2 row groups
    assert [f.rows for f in result.files] == [60, 60]
    assert pq.ParquetFile(store.files.path(result.files[0].path)).num_row_groups == 2
    assert read(store, IMAGES, "big").equals(pa.Table.from_batches([tb.batch for tb in frames]))


def test_abort_and_an_unfinished_block_leave_nothing(store: TelemetryStore) -> None:
    batch = TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS, 100)))
    writer = store.begin(rid("a"), "SN-1")
    writer.write(batch)
    writer.abort()
    with pytest.raises(RuntimeError), store.begin(rid("b"), "SN-1") as writer:
        writer.write(batch)
        raise RuntimeError("reader failed")
    with store.begin(rid("c"), "SN-1") as writer:
        writer.write(batch)  # no commit: discarded

    assert [f for f in visible_files(store) if f.endswith(".parquet")] == []
    assert store.files.subdirs("_staging") == []
    with pytest.raises(StoreError, match="already committed or aborted"):
        writer.write(batch)


def test_a_leftover_attempt_neither_disturbs_a_new_one_nor_outlives_an_hour(store: TelemetryStore) -> None:
    old = f"_staging/{rid('left')}/{int(time.time()) - 7200}-{'0' * 16}"
    leftover = f"{old}/joint_states/date=2026-01-01/robot=SN-1"
    store.files.makedirs(leftover)
    with store.files.fs.open(store.files.path(f"{leftover}/{rid('left')}-0007.parquet"), "wb") as f:
        f.write(b"PAR1 half a file")
    result = write(store, "left", [TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS, 10)))])

    assert [f.path.rsplit("-", 1)[1] for f in result.files] == ["0000.parquet"]
    assert [f for f in visible_files(store) if "_staging" in f] == [f"{leftover}/{rid('left')}-0007.parquet"]
    assert store.clean_staging() == [old]
    assert store.files.subdirs("_staging") == []


def test_clean_staging_spares_writers_still_open(store: TelemetryStore) -> None:
    store.files.makedirs(f"_staging/{rid('crashed')}/tasks")  # an older version's layout
    # with a file in it: an object store has no empty folders
    store.files.fs.pipe(store.files.path(f"_staging/{rid('crashed')}/tasks/part"), b"")
    open_writer = store.begin(rid("open"), "SN-1")
    open_writer.write(TableBatch(TASKS, event_batch(TASKS, span(MIDNIGHT_NS, 3))))
    open_writer.write(TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS, 3))))

    assert store.clean_staging() == [f"_staging/{rid('crashed')}/tasks"]
    assert store.clean_staging(older_than_s=0, now_s=time.time() - 60) == []
    assert open_writer.commit().rows == {TASKS: 3, JOINT_STATES: 3}


def test_rows_out_of_time_order_are_stored_sorted_stably(tmp_path: Path) -> None:
    store = TelemetryStore(str(tmp_path), max_rows_per_file=30, row_group_bytes=1 << 12)
    times = span(MIDNIGHT_NS - 50 * 10**9, 100, 10**9)  # across midnight
    shuffled = np.random.default_rng(3).permutation(times)
    shuffled[10] = shuffled[11]  # a tie: the two rows keep their arrival order
    batch = joint_batch(shuffled)
    position = batch.column("position").flatten().to_numpy().reshape(100, -1)
    halves = [TableBatch(JOINT_STATES, batch.slice(0, 40)), TableBatch(JOINT_STATES, batch.slice(40))]
    result = write(store, "shuffled", halves)

    stored = read(store, JOINT_STATES, "shuffled")
    order = np.argsort(shuffled, kind="stable")
    assert stored.column("time_ns").to_numpy().tolist() == shuffled[order].tolist()
    stored_position = stored.column("position").combine_chunks().flatten().to_numpy().reshape(100, -1)
    assert np.array_equal(stored_position, position[order])
    assert len(result.files) == 4 and sum(f.rows for f in result.files) == 100  # 2 days, 30-row files
    assert store.files.subdirs("_staging") == []


def test_commit_twice_is_idempotent(store: TelemetryStore) -> None:
    batches = [
        TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS - 10**9, 500))),
        TableBatch(CONTROL_MODE, event_batch(CONTROL_MODE, span(MIDNIGHT_NS, 3))),
    ]
    first = write(store, "twice", batches)
    second = write(store, "twice", batches)
    finer = TelemetryStore(store.root, max_rows_per_file=100)
    third = write(finer, "twice", batches)

    assert first == second
    assert third.rows == first.rows and len(third.files) > len(first.files)
    assert store.recording_files(rid("twice")) == sorted(f.path for f in third.files)
    assert connect(store).execute("SELECT count(*) FROM joint_states").fetchone() == (500,)


def test_duckdb_views_count_per_robot(store: TelemetryStore) -> None:
    con = connect(store)  # empty store: every view exists, with its columns, and no rows
    assert con.execute("SELECT count(*) FROM joint_states").fetchone() == (0,)
    assert [c[0] for c in con.execute("DESCRIBE interventions").fetchall()] == [
        "time_ns",
        "kind",
        "initiated_by",
        "reason",
        "date",
        "robot",
    ]
    empty_types = {t: con.execute(f"DESCRIBE {t}").fetchall() for t in EVENT_SCHEMAS}
    empty_types[JOINT_STATES] = con.execute(f"DESCRIBE {JOINT_STATES}").fetchall()

    write(store, "r1", [TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS, 30)))], "0042")
    write(store, "r2", [TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS, 20), 7))], "B-7")
    for i, table in enumerate(EVENT_SCHEMAS):
        write(store, f"e{i}", [TableBatch(table, event_batch(table, span(MIDNIGHT_NS, 4)))], "B-7")
    con = connect(store)

    per_robot = con.execute(
        "SELECT robot, count(*), max(len(position)) FROM joint_states GROUP BY robot ORDER BY robot"
    ).fetchall()
    assert per_robot == [("0042", 30, 4), ("B-7", 20, 7)]
    for table, described in empty_types.items():
        assert con.execute(f"DESCRIBE {table}").fetchall() == described
    write(store, "r3", [TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS, 5)))], "0042")
    assert con.execute("SELECT count(*) FROM joint_states").fetchone() == (55,)


def test_scan_table_streams_recordings_of_different_joint_counts(store: TelemetryStore) -> None:
    write(store, "four", [TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS, 30), 4))])
    write(store, "six", [TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS, 20), 6))])

    batches = list(scan_table(store, JOINT_STATES, columns=["position", "robot"]))
    assert sorted(b.schema.field("position").type.list_size for b in batches) == [4, 6]
    assert sum(b.num_rows for b in batches) == 50
    assert list(scan_table(store, TASKS)) == []


def test_scan_recording_streams_the_columns_and_the_time_window_asked_for(store: TelemetryStore) -> None:
    states = [joint_batch(span(MIDNIGHT_NS + i * 10**10, 300), seed=i) for i in range(4)]
    tasks = event_batch(TASKS, span(MIDNIGHT_NS, 9, 5 * 10**9))
    small = TelemetryStore(store.root, row_group_bytes=10_000)  # many row groups per file
    result = write(
        small, "window", [*(TableBatch(JOINT_STATES, b) for b in states), TableBatch(TASKS, tasks)]
    )
    files = [f.path for f in result.files]
    start, end = MIDNIGHT_NS + 12 * 10**9, MIDNIGHT_NS + 25 * 10**9

    scanned = list(
        scan_recording(
            store,
            files,
            tables=[JOINT_STATES],
            columns={JOINT_STATES: ["position"]},
            start_ns=start,
            end_ns=end,
        )
    )
    every = pa.Table.from_batches(states)
    inside = every.filter((pc.field("time_ns") >= start) & (pc.field("time_ns") <= end))
    assert {part.table for part in scanned} == {JOINT_STATES}
    assert all(part.batch.schema.names == ["position"] for part in scanned)
    assert (
        pa.Table.from_batches([p.batch for p in scanned]).column("position").equals(inside.column("position"))
    )

    loaded = read_recording(store, files, [TASKS, INTERVENTIONS], start_ns=start)
    assert list(loaded) == [TASKS]  # a table without files is absent
    assert loaded[TASKS].equals(pa.Table.from_batches([tasks]).filter(pc.field("time_ns") >= start))


def test_scan_recording_leaves_row_groups_outside_the_window_unread(tmp_path: Path) -> None:
    """The first row group's bytes are destroyed: a scan of a later window still reads, so it
    never opened them, while a scan of the whole recording fails on them."""
    store = TelemetryStore(str(tmp_path), row_group_bytes=10_000)
    states = [joint_batch(span(MIDNIGHT_NS + i * 10**10, 300), seed=i) for i in range(4)]
    [part] = write(store, "skip", [TableBatch(JOINT_STATES, b) for b in states]).files
    with open_part(store, part.path) as parquet:
        first = parquet.metadata.row_group(0)
        last_start = parquet.metadata.row_group(parquet.metadata.num_row_groups - 1).column(0).statistics.min
        chunks = [first.column(i) for i in range(first.num_columns)]
        begin = min(c.dictionary_page_offset or c.data_page_offset for c in chunks)
        end = max((c.dictionary_page_offset or c.data_page_offset) + c.total_compressed_size for c in chunks)
    with open(store.files.path(part.path), "r+b") as raw:
        raw.seek(begin)
        raw.write(b"\xff" * (end - begin))

    late = list(scan_recording(store, [part.path], start_ns=last_start))
    assert sum(p.batch.num_rows for p in late) > 0
    with pytest.raises(OSError):
        list(scan_recording(store, [part.path]))


@pytest.mark.parametrize(
    ("table", "batch", "message"),
    [
        ("camera", joint_batch(span(MIDNIGHT_NS, 2)), "unknown telemetry table"),
        (TASKS, joint_batch(span(MIDNIGHT_NS, 2)), "do not match"),
        (JOINT_STATES, pa.record_batch({"time_ns": [1], "position": [[0.5]]}), "fixed-size"),
        (TASKS, pa.record_batch({"time_ns": [None], "event": ["start"], "task": ["t"]}), "nulls"),
    ],
)
def test_malformed_batches_are_refused(
    tmp_path: Path, table: str, batch: pa.RecordBatch, message: str
) -> None:
    writer = TelemetryStore(str(tmp_path)).begin(rid("bad"), "SN-1")
    with writer, pytest.raises(StoreError, match=message):
        writer.write(TableBatch(table, batch))


def test_a_recording_keeps_one_joint_layout_and_safe_names(tmp_path: Path) -> None:
    store = TelemetryStore(str(tmp_path))
    with store.begin(rid("layout"), "SN-1") as writer:
        writer.write(TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS, 2), 4)))
        with pytest.raises(StoreError, match="joint layout"):
            writer.write(TableBatch(JOINT_STATES, joint_batch(span(MIDNIGHT_NS, 2), 5)))
        with pytest.raises(StoreError, match="already being written"):
            store.begin(rid("layout"), "SN-1")
    with pytest.raises(StoreError, match="SHA-256"):
        store.begin("../etc", "SN-1")
    with pytest.raises(StoreError, match="folder"):
        store.begin(rid("x"), "robot/../1")
