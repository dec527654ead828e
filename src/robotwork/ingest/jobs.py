"""The ingest state machine in the registry, and the claim that decides who works on a recording.

received -> stored -> summarized -> counted, or refused (see docs/ingest.md). A job's primary
key is the recording id (SHA-256 of the bytes), so the database, not a lock in some process,
decides who writes: the process whose INSERT succeeds holds the claim; any other waits while
the holder's heartbeat is fresh, and takes the job over (compare-and-set on the old claim) once
it is stale. Every state change is conditional on still holding the claim, so a process that
was presumed dead and wakes up can never move a job another process now owns.
"""

import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from robotwork.errors import RobotworkError
from robotwork.registry.db import writing
from robotwork.registry.models import IngestJob

RECEIVED, STORED, SUMMARIZED, COUNTED, REFUSED = "received", "stored", "summarized", "counted", "refused"
STATES = (RECEIVED, STORED, SUMMARIZED, COUNTED, REFUSED)
UNFINISHED = (RECEIVED, STORED, SUMMARIZED)
# A claim is stale when its heartbeat is older than this; holders renew it far more often.
STALE_AFTER = timedelta(seconds=30)
HEARTBEAT_EVERY = 5.0
# A job that failed this many times with an internal error is left for `doctor` to show.
MAX_ATTEMPTS = 5


class LostClaim(RobotworkError):
    """Another process took this job over (ours was presumed dead): stop without writing."""


@dataclass(frozen=True)
class JobView:
    """A job row as read, detached from any session."""

    recording_id: str
    state: str
    source: str
    source_name: str
    overrides: dict[str, Any]
    actor: str
    claim: str | None
    heartbeat_at: datetime | None
    attempts: int
    error: str | None

    @classmethod
    def of(cls, job: IngestJob) -> Self:
        """Copy a row's values."""
        return cls(
            job.recording_id,
            job.state,
            job.source,
            job.source_name,
            dict(job.overrides or {}),
            job.actor,
            job.claim,
            job.heartbeat_at,
            job.attempts,
            job.error,
        )

    def claim_live(self, now: datetime | None = None) -> bool:
        """Whether some process holds this job and renewed its claim recently."""
        if self.claim is None or self.heartbeat_at is None or _holder_dead(self.claim):
            return False
        beat = self.heartbeat_at if self.heartbeat_at.tzinfo else self.heartbeat_at.replace(tzinfo=UTC)
        return (now or _now()) - beat < STALE_AFTER


def _now() -> datetime:
    return datetime.now(UTC)


_HOST = socket.gethostname()[:24].replace(":", "_")


def new_claim() -> str:
    """A claim token, unique to one attempt of one process: ``host:pid:random``, so a process on
    the same machine can tell a holder that died (kill -9) without waiting for it to go stale."""
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:24]}"


def _holder_dead(claim: str) -> bool:
    """Whether the claim's process is known to be gone: it ran on this machine and its pid no
    longer exists. Holders on other machines are judged by their heartbeat alone."""
    host, _, rest = claim.partition(":")
    pid_text = rest.partition(":")[0]
    if host != _HOST or not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def read(engine: Engine, recording_id: str) -> JobView | None:
    """The job of a recording, or None."""
    with Session(engine) as session:
        job = session.get(IngestJob, recording_id)
        return JobView.of(job) if job else None


def receive(
    engine: Engine,
    recording_id: str,
    *,
    source: str,
    source_name: str,
    overrides: dict[str, Any],
    actor: str,
    claim: str | None,
) -> JobView | None:
    """Insert a new job in `received`, claimed by `claim` (or unclaimed, for a worker to take).

    Returns None when a job for these bytes already exists: the caller reads it and waits or
    takes it over. The unique key makes exactly one of any number of concurrent callers win.
    """
    now = _now()
    row = IngestJob(
        recording_id=recording_id,
        state=RECEIVED,
        source=source,
        source_name=source_name,
        overrides=overrides,
        actor=actor,
        claim=claim,
        heartbeat_at=now if claim else None,
        attempts=1 if claim else 0,
        error=None,
        received_at=now,
        updated_at=now,
    )
    try:
        with writing(engine) as session:
            session.add(row)
            session.flush()
            return JobView.of(row)
    except IntegrityError:
        return None


def take_over(
    engine: Engine, seen: JobView, claim: str, *, source: str | None = None, **changes: Any
) -> JobView | None:
    """Claim a job that is free, stale or refused, if nobody changed it since `seen` was read.

    A refused job starts again from `received` (the registry may now know its robot). `source`
    and other `changes` (overrides, actor) replace the job's when the caller brings the bytes.
    """
    now = _now()
    values: dict[str, Any] = {
        "claim": claim,
        "heartbeat_at": now,
        "updated_at": now,
        "attempts": seen.attempts + 1,
        "error": None,
        **changes,
    }
    if seen.state == REFUSED:
        values["state"] = RECEIVED
    if source is not None:
        values["source"] = source
    with writing(engine) as session:
        cas = update(IngestJob).where(
            IngestJob.recording_id == seen.recording_id,
            IngestJob.state == seen.state,
            IngestJob.attempts == seen.attempts,
        )
        if seen.claim is None:
            cas = cas.where(IngestJob.claim.is_(None))
        elif _holder_dead(seen.claim):
            cas = cas.where(IngestJob.claim == seen.claim)
        else:  # still the same holder, and still silent: a holder that beat meanwhile keeps it
            cas = cas.where(IngestJob.claim == seen.claim, IngestJob.heartbeat_at < now - STALE_AFTER)
        if session.execute(cas.values(**values)).rowcount != 1:  # type: ignore[attr-defined]
            return None
        return JobView.of(session.get_one(IngestJob, seen.recording_id))


def requeue(engine: Engine, seen: JobView, *, source: str, overrides: dict[str, Any]) -> JobView | None:
    """Queue a refused upload again (unclaimed, for a worker): the same bytes sent anew, maybe
    after the registry learned their robot. None if the job changed since `seen`."""
    with writing(engine) as session:
        changed = session.execute(
            update(IngestJob)
            .where(IngestJob.recording_id == seen.recording_id, IngestJob.state == REFUSED)
            .values(state=RECEIVED, source=source, overrides=overrides, error=None, updated_at=_now())
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return JobView.of(session.get_one(IngestJob, seen.recording_id))


def advance(session: Session, recording_id: str, claim: str, state: str, *, release: bool = False) -> None:
    """Move a job we hold to `state` inside the caller's transaction (with the step's rows).

    Raises LostClaim, rolling the whole step back, when the job is no longer ours.
    """
    values: dict[str, Any] = {"state": state, "updated_at": _now(), "heartbeat_at": _now()}
    if release:
        values["claim"] = None
    result = session.execute(
        update(IngestJob)
        .where(IngestJob.recording_id == recording_id, IngestJob.claim == claim)
        .values(**values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LostClaim(f"recording {recording_id}: taken over by another process")


def refuse(engine: Engine, recording_id: str, claim: str, error: str, *, keep: bool) -> None:
    """End a job we hold as refused: kept with its reason (an upload a device will ask about)
    or removed (a command-line ingest, whose caller is told directly), as if never received."""
    with writing(engine) as session:
        owned = (IngestJob.recording_id == recording_id, IngestJob.claim == claim)
        if keep:
            session.execute(
                update(IngestJob)
                .where(*owned)
                .values(state=REFUSED, error=error, claim=None, updated_at=_now())
            )
        else:
            session.execute(delete(IngestJob).where(*owned))


def release(engine: Engine, recording_id: str, claim: str, error: str | None = None) -> None:
    """Give a job back unfinished (an internal error): its state stays, anyone may resume it."""
    with writing(engine) as session:
        session.execute(
            update(IngestJob)
            .where(IngestJob.recording_id == recording_id, IngestJob.claim == claim)
            .values(claim=None, heartbeat_at=None, error=error, updated_at=_now())
        )


def unfinished(engine: Engine, *, include_live: bool = False) -> list[JobView]:
    """Jobs a crash or a busy worker left before `counted`, oldest first.

    Without `include_live`, only those nobody is working on (free or stale claims) that have not
    failed `MAX_ATTEMPTS` times: what `ingest --resume` picks up.
    """
    with Session(engine) as session:
        rows = session.scalars(
            select(IngestJob).where(IngestJob.state.in_(UNFINISHED)).order_by(IngestJob.received_at)
        )
        jobs = [JobView.of(r) for r in rows]
    if include_live:
        return jobs
    now = _now()
    return [j for j in jobs if not j.claim_live(now) and j.attempts < MAX_ATTEMPTS]


class Heartbeat:
    """Renews a claim every few seconds on a thread of its own while the work goes on.

    The work itself may sit in one long step (a big file's decode) where it cannot stop to
    write; a thread keeps the claim fresh so no other process takes the job over meanwhile.
    """

    def __init__(self, engine: Engine, recording_id: str, claim: str) -> None:
        self.engine, self.recording_id, self.claim = engine, recording_id, claim
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{recording_id[:8]}", daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(HEARTBEAT_EVERY):
            try:
                with writing(self.engine) as session:
                    renewed = session.execute(
                        update(IngestJob)
                        .where(IngestJob.recording_id == self.recording_id, IngestJob.claim == self.claim)
                        .values(heartbeat_at=_now())
                    )
                    self.lost = renewed.rowcount != 1  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - a missed beat is retried; the next step's CAS decides
                continue
            if self.lost:
                return
