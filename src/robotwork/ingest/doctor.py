"""Registry against store: what a recording lacks, and `robotwork doctor`'s check and repair.

The invariants (docs/ingest.md): every counted recording has its files and its evidence; every
published file belongs to a recording the registry lists or to a job still at work; no job is
left half-way with nobody on it; staging and inbox hold nothing older than their use.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from robotwork.evidence import fingerprint_index
from robotwork.ingest import inbox, jobs
from robotwork.registry.models import IngestJob, Recording
from robotwork.store.layout import TABLES
from robotwork.store.telemetry import TelemetryStore

_NEXT = {
    jobs.RECEIVED: ["stored: the files and the registry row", "summarized: the evidence", "counted"],
    jobs.STORED: ["summarized: the evidence (days, episodes, integrity flags)", "counted"],
    jobs.SUMMARIZED: ["counted: the step that makes it part of the figures"],
}


def missing(engine: Engine, store: TelemetryStore, recording_id: str) -> list[str]:
    """What a recording still lacks to count, in words (empty when it is whole and counted)."""
    job = jobs.read(engine, recording_id)
    lacks: list[str] = []
    if job is not None and job.state in _NEXT:
        lacks += _NEXT[job.state]
        if job.state == jobs.RECEIVED and not inbox.exists(store, job.source):
            lacks.append(f"its source {job.source_name} is gone: ingest the file again")
        elif not job.claim_live():
            lacks.append("nobody is working on it: `robotwork ingest --resume` finishes it")
    if job is not None and job.state == jobs.REFUSED:
        lacks.append(f"refused: {job.error}")
    with Session(engine) as session:
        rec = session.get(Recording, recording_id)
        if rec is not None:
            absent = [rel for rel in rec.files if not store.files.fs.exists(store.files.path(rel))]
            if absent:
                lacks.append(f"{len(absent)} of {len(rec.files)} files are missing from the store")
            if rec.content_digest is None and (job is None or job.state == jobs.COUNTED):
                lacks.append("its evidence was never computed: `robotwork rebuild`")
    return lacks


@dataclass
class Checkup:
    """What `doctor` found and did; `problems` are what it could not repair."""

    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def checkup(
    engine: Engine,
    store: TelemetryStore,
    *,
    repair: bool,
    finish: Callable[[str], object] | None = None,
) -> Checkup:
    """Check every invariant; with `repair`, fix what can be fixed (`finish` resumes a job)."""
    report = Checkup()
    verb = "removed" if repair else "would remove"
    with Session(engine) as session:
        recorded = {r: f for r, f in session.execute(select(Recording.recording_id, Recording.files))}
        job_states = dict(session.execute(select(IngestJob.recording_id, IngestJob.state)).all())
    for recording_id in recorded:
        lacks = [m for m in missing(engine, store, recording_id) if "nobody" not in m]
        if job_states.get(recording_id) in (None, jobs.COUNTED) and lacks:
            report.problems.append(f"recording {recording_id}: " + "; ".join(lacks))
    _orphans(store, recorded, set(job_states), repair, verb, report)
    for job in jobs.unfinished(engine, include_live=True):
        if job.claim_live():
            continue  # some process is at work on it
        if job.attempts >= jobs.MAX_ATTEMPTS:
            report.problems.append(
                f"ingest of {job.source_name} ({job.recording_id[:12]}) failed {job.attempts} times, "
                f"left at {job.state}: {job.error}"
            )
        elif repair and finish is not None:
            outcome = finish(job.recording_id)
            report.done.append(
                f"finished the ingest of {job.source_name} ({job.recording_id[:12]}): {outcome}"
            )
        else:
            report.problems.append(
                f"ingest of {job.source_name} ({job.recording_id[:12]}) stopped at {job.state}"
            )
    if repair:
        adopted = fingerprint_index.adopt_files(engine, store)
        if adopted:
            report.done.append(f"moved the fingerprints of {adopted} recording(s) into the registry")
        report.done += [f"removed the staging of a killed run: {rel}" for rel in store.clean_staging()]
        report.done += [
            f"removed an upload cut off while received: {rel}" for rel in inbox.clean_partial(store)
        ]
    _stale_inbox(store, job_states, repair, verb, report)
    return report


def _orphans(
    store: TelemetryStore,
    recorded: dict[str, list[str]],
    known_jobs: set[str],
    repair: bool,
    verb: str,
    report: Checkup,
) -> None:
    """Published files that no recording lists, and whose recording no job is working on."""
    listed = {rel for files in recorded.values() for rel in files}
    for table in TABLES:
        orphans = [
            rel
            for rel in store.table_files(table)
            if rel not in listed and rel.rsplit("/", 1)[-1][:64] not in known_jobs
        ]
        if orphans and repair:
            store.files.remove(orphans)
        report.done += [f"{verb} a file no recording lists: {rel}" for rel in orphans]


def _stale_inbox(
    store: TelemetryStore, job_states: dict[str, str], repair: bool, verb: str, report: Checkup
) -> None:
    """Uploads kept in the inbox whose job is over (counted or refused) or was never made."""
    for recording_id in store.files.subdirs(inbox.INBOX_DIR):
        if job_states.get(recording_id) in jobs.UNFINISHED:
            continue
        if repair:
            store.files.remove_tree(f"{inbox.INBOX_DIR}/{recording_id}")
        report.done.append(f"{verb} the upload kept for {recording_id[:12]} (its job is over)")
