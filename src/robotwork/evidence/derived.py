"""Derived tables: one recording's evidence written to the registry (days, episodes, flags).

Kept current by ingest (called once per new recording) and rebuilt from the raw telemetry by
`rebuild_all`. The raw files of a recording are listed in its registry row, so deriving never
lists the store's folders.
"""

from collections.abc import Callable, Iterable

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session

from robotwork.evidence import fingerprint_index
from robotwork.evidence.flags import check_recording
from robotwork.evidence.model import RecordingEvidence
from robotwork.evidence.recording import summarize
from robotwork.policy import Policy
from robotwork.registry.db import writing
from robotwork.registry.models import Episode, Recording, RecordingDay
from robotwork.store.read import scan_recording, table_of
from robotwork.store.schema import IMAGES
from robotwork.store.telemetry import TelemetryStore


def _write_rows(session: Session, rec: Recording, ev: RecordingEvidence) -> None:
    session.execute(delete(RecordingDay).where(RecordingDay.recording_id == rec.recording_id))
    session.execute(delete(Episode).where(Episode.recording_id == rec.recording_id))
    days = [
        {"recording_id": rec.recording_id, "robot_serial": rec.robot_serial, **day.to_row()}
        for day in ev.days
    ]
    if days:
        session.execute(insert(RecordingDay), days)
    episodes = [
        {
            "recording_id": rec.recording_id,
            "robot_serial": rec.robot_serial,
            "start_ns": e.start_ns,
            "end_ns": e.end_ns,
            "task": e.task,
            "outcome": e.outcome,
            "mode_seconds": e.mode_seconds,
        }
        for e in ev.episodes
    ]
    if episodes:
        session.execute(insert(Episode), episodes)
    rec.content_digest = ev.content_digest


def summarize_recording(
    engine: Engine, store: TelemetryStore, policy: Policy, recording_id: str
) -> RecordingEvidence:
    """One stored recording's evidence, computed from its raw rows and written nowhere: it
    reads only, so `rebuild --ray` runs it for many recordings at once (robotwork.cluster)."""
    with Session(engine) as session:
        rec = session.get_one(Recording, recording_id)
        # camera frames are no evidence: their files (most of a recording's bytes) stay unread
        files = [rel for rel in rec.files if table_of(rel) != IMAGES]
        end_ns = rec.end_ns
    return summarize(scan_recording(store, files), policy, end_ns=end_ns)


def derive_recording(
    engine: Engine,
    store: TelemetryStore,
    policy: Policy,
    recording_id: str,
    *,
    also: Callable[[Session], None] | None = None,
    evidence: RecordingEvidence | None = None,
) -> RecordingEvidence:
    """Summarize one stored recording and write its derived rows and integrity flags.

    The raw rows are read before the write transaction opens, so the registry's write lock is
    held only while rows are written; `also` runs inside that transaction (the ingest job's
    state change), so the evidence and the state that says it exists commit together.
    """
    ev = evidence or summarize_recording(engine, store, policy, recording_id)
    with writing(engine) as session:
        fingerprint_index.lock(session)
        rec = session.get_one(Recording, recording_id)
        _write_rows(session, rec, ev)
        session.flush()
        check_recording(session, policy, rec, ev)
        if also:
            also(session)
        fingerprint_index.add(session, recording_id, ev.fingerprints)
    return ev


def rebuild_all(
    engine: Engine,
    store: TelemetryStore,
    policy: Policy,
    *,
    on_recording: Callable[[str], None] | None = None,
    summaries: Callable[[list[str]], Iterable[RecordingEvidence]] | None = None,
) -> int:
    """Recompute every recording's derived rows and flags, in ingest order (flags depend on it).

    Cleared flags stay cleared when the same rule fires again: a reviewer's decision is kept.
    `summaries` computes the recordings' evidence elsewhere (Ray tasks), in the order of the
    ids given; flags and rows are still written here, one recording after the other.
    """
    fingerprint_index.clear(engine, store)
    with Session(engine) as session:
        ids = list(
            session.scalars(
                select(Recording.recording_id).order_by(Recording.ingested_at, Recording.recording_id)
            )
        )
    evidence = summaries(ids) if summaries else (None for _ in ids)
    for recording_id, ev in zip(ids, evidence, strict=True):
        derive_recording(engine, store, policy, recording_id, evidence=ev)
        if on_recording:
            on_recording(recording_id)
    return len(ids)
