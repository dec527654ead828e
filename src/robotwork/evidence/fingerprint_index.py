"""Where replay detection looks things up: every recording's winnowed joint fingerprints, as
rows of the registry.

`fingerprints` holds one row per (fingerprint, recording), keyed fingerprint first, so a lookup
is an index search in the database: a process loads nothing when it starts and a lookup costs
the same however many recordings are stored (issue 13 (f); before, every ingest process read
every recording's fingerprint file on its first use, ~1 ms a recording). A recording's rows are
written in the transaction that writes its evidence, so every process sees the fingerprints of
every summary committed before its own, whichever process took the original in.

On PostgreSQL the lookup and the write of a summary hold one transaction-level advisory lock,
so two processes summarizing a recording and its replay at the same moment run one after the
other and the second sees the first (SQLite's write lock, taken by `registry.db.writing`, does
the same there).

Before revision 0011 the fingerprints were one Parquet file per recording in the store
(``derived/fingerprints/{recording_id}.parquet``); `adopt_files` moves those into the table
(`robotwork doctor`, and each intake once before its first summary).
"""

from collections import Counter

import numpy as np
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Index,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session

from robotwork.registry.db import writing
from robotwork.registry.models import Recording
from robotwork.store.read import read_file
from robotwork.store.telemetry import TelemetryStore

# Core table of its own metadata, created by migration 0011 (with its foreign key to recordings,
# ON DELETE CASCADE: a refused or removed recording takes its fingerprints with it).
metadata = MetaData()
rows = Table(
    "fingerprints",
    metadata,
    Column("fp", BigInteger, primary_key=True),
    Column("recording_id", String(64), primary_key=True),
    Index("ix_fingerprints_recording_id", "recording_id"),
)

OLD_FOLDER = "derived/fingerprints"
_CHUNK = 2000  # fingerprints per IN (...) list: under every driver's limit on bound parameters
_LOCK_KEY = 0x7277_6670  # "rwfp": the advisory lock of fingerprint lookups and writes (PostgreSQL)


def _as_keys(fingerprints: np.ndarray) -> list[int]:
    """Unique fingerprints as Python ints that fit a signed BIGINT (real hashes are 63-bit)."""
    return np.unique(np.asarray(fingerprints, np.uint64)).astype(np.int64).tolist()


def lock(session: Session) -> None:
    """Hold the fingerprint lock until this transaction ends (PostgreSQL; SQLite holds its write
    lock already). Taken first thing by a summary's transaction, so no row lock is held while
    it waits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))


def shared_counts(session: Session, fingerprints: np.ndarray, *, excluding: str) -> dict[str, int]:
    """For each other recording, how many of `fingerprints` it also has."""
    lock(session)
    counts: Counter[str] = Counter()
    keys = _as_keys(fingerprints)
    for start in range(0, len(keys), _CHUNK):
        found = session.execute(
            select(rows.c.recording_id, func.count())
            .where(rows.c.fp.in_(keys[start : start + _CHUNK]), rows.c.recording_id != excluding)
            .group_by(rows.c.recording_id)
        )
        counts.update({recording_id: n for recording_id, n in found})
    return dict(counts)


def add(session: Session, recording_id: str, fingerprints: np.ndarray) -> None:
    """Keep a recording's fingerprints (replacing any it had), in the caller's transaction."""
    lock(session)
    session.execute(delete(rows).where(rows.c.recording_id == recording_id))
    keys = _as_keys(fingerprints)
    if keys:
        session.execute(insert(rows), [{"fp": fp, "recording_id": recording_id} for fp in keys])


def clear(engine: Engine, store: TelemetryStore) -> None:
    """Forget every recording's fingerprints (before a rebuild puts them back in ingest order)."""
    with writing(engine) as session:
        lock(session)
        session.execute(delete(rows))
    store.files.remove_tree(OLD_FOLDER)


def adopt_files(engine: Engine, store: TelemetryStore) -> int:
    """Move the fingerprint files of a store written before revision 0011 into the table, each
    file removed once its rows are committed; return how many recordings were taken in.

    A file whose recording is gone is removed; one whose recording already has rows (another
    process adopted it, or it was summarized again since) only removed.
    """
    adopted = 0
    for rel in store.files.find(OLD_FOLDER, f"{OLD_FOLDER}/*.parquet"):
        recording_id = rel.rsplit("/", 1)[1].removesuffix(".parquet")
        values = read_file(store, rel, ["fp"]).column("fp").to_numpy()
        with writing(engine) as session:
            lock(session)
            known = session.get(Recording, recording_id) is not None
            held = session.scalar(select(rows.c.fp).where(rows.c.recording_id == recording_id).limit(1))
            if known and held is None:
                add(session, recording_id, values)
                adopted += 1
        store.files.remove([rel])
    if adopted and engine.dialect.name == "postgresql":
        # fresh statistics now, not at autovacuum's next round: without them the planner takes
        # `fp IN (...)` on a table just filled for a sequential scan (100 times slower at 2 M rows)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE fingerprints"))
    return adopted
