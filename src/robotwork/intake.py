"""Taking in a recording: its ingest job run from whatever state it is in to `counted`.

The one entry for every way a recording arrives (CLI, demo, web upload, workers, `--resume`).
The steps are those of `robotwork.ingest.jobs`: received -> stored (files published, registry
row) -> summarized (derived rows and integrity flags) -> counted, each committed together with
the job's new state, so a crash anywhere is finished by the next attempt from the state reached.
Who does the work is decided in the database (the job's claim); nothing here relies on a lock.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from robotwork.errors import IngestError, RobotworkError, StoreError
from robotwork.evidence import fingerprint_index
from robotwork.evidence.derived import derive_recording
from robotwork.evidence.model import EvidenceError
from robotwork.evidence.standing import count_recording
from robotwork.ingest import inbox, jobs
from robotwork.ingest.jobs import JobView
from robotwork.ingest.pipeline import IngestResult, Overrides, content_hash, store_recording
from robotwork.policy import Policy
from robotwork.registry.db import writing
from robotwork.registry.models import Recording
from robotwork.store.telemetry import TelemetryStore

_WAIT_POLL_S = 0.2

# Named moments of a job's run, reported to `on_step` (progress, and the crash tests' kill points).
STEPS = ("hashed", "claimed", "published", jobs.STORED, jobs.SUMMARIZED, jobs.COUNTED)


@dataclass(frozen=True)
class _Work:
    """What one run of a job needs besides the job row."""

    path: Path
    overrides: Overrides
    actor: str
    now_ns: int | None
    on_rows: Callable[[int], None] | None
    keep_refusal: bool


class Intake:
    """Runs ingest jobs for one process: the CLI's batch, the demo, a web worker, a Ray task.

    Replay detection queries the registry's fingerprint table (nothing loaded at start); the
    fingerprint files of a store from before that table are moved in before the first summary.
    """

    def __init__(
        self,
        engine: Engine,
        store: TelemetryStore,
        policy: Policy,
        *,
        actor: str,
        on_step: Callable[[str, str], None] | None = None,
    ) -> None:
        self.engine, self.store, self.policy, self.actor = engine, store, policy, actor
        self.on_step = on_step
        self._adopt_lock = Lock()
        self._adopted = False

    def take(
        self,
        path: Path,
        *,
        overrides: Overrides | None = None,
        now_ns: int | None = None,
        on_rows: Callable[[int], None] | None = None,
        actor: str | None = None,
    ) -> IngestResult:
        """Ingest `path` to `counted`, or refuse it leaving nothing behind; `duplicate` only
        when these bytes are already counted. Waits while another process works on them."""
        path = Path(path)
        try:
            if not path.exists():
                raise IngestError(f"{path}: no such file or folder")
            recording_id = content_hash(path)
        except OSError as exc:
            return IngestResult(str(path), "rejected", error=f"{path}: cannot read ({exc.strerror})")
        except IngestError as exc:
            return IngestResult(str(path), "rejected", error=str(exc))
        self._step("hashed", recording_id)
        overrides = overrides or Overrides()
        work = _Work(path, overrides, actor or self.actor, now_ns, on_rows, keep_refusal=False)
        source = str(path.resolve())
        while True:
            claim = jobs.new_claim()
            job = jobs.receive(
                self.engine,
                recording_id,
                source=source,
                source_name=path.name,
                overrides=_overrides_json(overrides),
                actor=work.actor,
                claim=claim,
            )
            if job is None:
                seen = self._wait(recording_id)
                if seen is None:
                    continue  # the holder refused it and let go: try it ourselves
                if seen.state == jobs.COUNTED:
                    return self._duplicate(str(path), recording_id)
                job = jobs.take_over(
                    self.engine,
                    seen,
                    claim,
                    source=source,
                    source_name=path.name,
                    overrides=_overrides_json(overrides),
                    actor=work.actor,
                )
                if job is None:
                    continue  # someone else took it first: wait for them
            result = self._run(job, claim, work)
            if result is not None:
                return result

    def queue(
        self, recording_id: str, source: str, name: str, *, overrides: Overrides, actor: str
    ) -> IngestResult:
        """Queue the job of an upload kept in the inbox (unclaimed, for a worker to finish).

        The same bytes uploaded again get the same recording id and never a second copy: an
        existing job is answered with its state (a refused one is queued again).
        """
        job = jobs.receive(
            self.engine,
            recording_id,
            source=source,
            source_name=name,
            overrides=_overrides_json(overrides),
            actor=actor,
            claim=None,
        )
        if job is None:
            seen = jobs.read(self.engine, recording_id)
            if seen is not None and seen.state == jobs.REFUSED:
                job = jobs.requeue(self.engine, seen, source=source, overrides=_overrides_json(overrides))
            if job is None:
                return self.result(recording_id, name)
        return IngestResult(name, "received", recording_id, overrides.robot_serial, state=job.state)

    def finish(self, recording_id: str) -> IngestResult | None:
        """Run a queued, crashed or stalled job to its end from its recorded source (a worker's
        task and `ingest --resume`); None when another process is working on it."""
        seen = jobs.read(self.engine, recording_id)
        if seen is None:
            return None
        if seen.state in (jobs.COUNTED, jobs.REFUSED):
            return self.result(recording_id, seen.source_name)
        if seen.claim_live():
            return None
        claim = jobs.new_claim()
        job = jobs.take_over(self.engine, seen, claim)
        if job is None:
            return None
        uploaded = inbox.is_inbox(job.source)
        if job.state == jobs.RECEIVED and not inbox.exists(self.store, job.source):
            error = f"{job.source_name}: the file is gone; ingest it again"
            jobs.refuse(self.engine, recording_id, claim, error, keep=uploaded)
            return IngestResult(job.source_name, "rejected", recording_id, error=error, state=jobs.REFUSED)
        with inbox.local_copy(self.store, job.source) as path:
            work = _Work(path, _overrides_of(job), job.actor, None, None, keep_refusal=uploaded)
            return self._run(job, claim, work)

    def resume(self, on_result: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
        """Finish every job that nobody is working on, oldest first."""
        results = []
        for job in jobs.unfinished(self.engine):
            result = self.finish(job.recording_id)
            if result is not None:
                results.append(result)
                if on_result:
                    on_result(result)
        return results

    def result(self, recording_id: str, name: str) -> IngestResult:
        """Where a job stands, as the result object of the ``--json`` contract."""
        job = jobs.read(self.engine, recording_id)
        if job is None:
            return IngestResult(name, "rejected", recording_id, error=f"recording {recording_id}: unknown")
        if job.state == jobs.COUNTED:
            return self._duplicate(name, recording_id)
        if job.state == jobs.REFUSED:
            return IngestResult(name, "rejected", recording_id, error=job.error, state=job.state)
        serial = job.overrides.get("robot_serial")
        return IngestResult(name, "received", recording_id, serial, state=job.state)

    def _duplicate(self, name: str, recording_id: str) -> IngestResult:
        with Session(self.engine) as session:
            rec = session.get_one(Recording, recording_id)
            return IngestResult(
                name, "duplicate", recording_id, rec.robot_serial, rec.messages, state=jobs.COUNTED
            )

    def _wait(self, recording_id: str) -> JobView | None:
        """Wait while another process holds the job; return it once counted, free or stale."""
        while True:
            seen = jobs.read(self.engine, recording_id)
            if seen is None or seen.state == jobs.COUNTED or not seen.claim_live():
                return seen
            time.sleep(_WAIT_POLL_S)

    def _run(self, job: JobView, claim: str, work: _Work) -> IngestResult | None:
        """Run a claimed job from its state to `counted`; None when it was taken over meanwhile."""
        recording_id = job.recording_id
        self._step("claimed", recording_id)
        try:
            with jobs.Heartbeat(self.engine, recording_id, claim):
                if job.state == jobs.RECEIVED:
                    store_recording(
                        self.engine,
                        self.store,
                        self.policy,
                        work.path,
                        recording_id=recording_id,
                        claim=claim,
                        overrides=work.overrides,
                        actor=work.actor,
                        now_ns=work.now_ns,
                        on_rows=work.on_rows,
                        on_published=lambda: self._step("published", recording_id),
                    )
                    self._step(jobs.STORED, recording_id)
                if job.state in (jobs.RECEIVED, jobs.STORED):
                    self._summarize(recording_id, claim)
                    self._step(jobs.SUMMARIZED, recording_id)
                self._count(recording_id, claim)
                self._step(jobs.COUNTED, recording_id)
        except jobs.LostClaim:
            return None
        except (IngestError, EvidenceError, StoreError) as exc:
            return self._refuse(job, claim, work, exc)
        except OSError as exc:
            refusal = IngestError(f"{work.path}: cannot read ({exc.strerror})")
            return self._refuse(job, claim, work, refusal)
        except BaseException as exc:
            jobs.release(self.engine, recording_id, claim, error=f"internal error: {exc!r}"[:2000])
            raise
        inbox.discard(self.store, job.source)
        result = self._duplicate(str(work.path), recording_id)
        return IngestResult(
            result.path, "ingested", recording_id, result.robot_serial, result.messages, state=jobs.COUNTED
        )

    def _summarize(self, recording_id: str, claim: str) -> None:
        def advance(session: Session) -> None:
            jobs.advance(session, recording_id, claim, jobs.SUMMARIZED)

        with self._adopt_lock:
            if not self._adopted:
                fingerprint_index.adopt_files(self.engine, self.store)
                self._adopted = True
        derive_recording(self.engine, self.store, self.policy, recording_id, also=advance)

    def _count(self, recording_id: str, claim: str) -> None:
        """The step that makes a summarized recording part of the stored figures: its robot-days
        are marked and every stored view brought up to date (idempotent: a crash here is
        counted again by the next attempt), then the job is done."""
        count_recording(self.engine, self.policy, recording_id)
        with writing(self.engine) as session:
            jobs.advance(session, recording_id, claim, jobs.COUNTED, release=True)

    def _refuse(self, job: JobView, claim: str, work: _Work, exc: RobotworkError) -> IngestResult:
        """Refusal leaves nothing: the registry row (and its evidence) and the published files
        of a recording that got as far as `stored` go, then the job ends as refused."""
        files = self._unrecord(job.recording_id, claim)
        self.store.files.remove(files)
        message = str(exc)
        jobs.refuse(self.engine, job.recording_id, claim, message, keep=work.keep_refusal)
        if work.keep_refusal:
            inbox.discard(self.store, job.source)
        # an upload's refusal is kept under its id for the device to ask about; a command-line
        # refusal leaves no job, so it names none (as before jobs existed)
        kept = job.recording_id if work.keep_refusal else None
        return IngestResult(
            str(work.path), "rejected", kept, error=message, state=jobs.REFUSED if kept else None
        )

    def _unrecord(self, recording_id: str, claim: str) -> list[str]:
        """Delete a held recording's registry row (its derived rows go with it); its files."""
        with writing(self.engine) as session:
            rec = session.get(Recording, recording_id)
            if rec is None:
                return []
            files = list(rec.files)
            session.execute(delete(Recording).where(Recording.recording_id == recording_id))
            jobs.advance(session, recording_id, claim, jobs.RECEIVED)
        return files

    def _step(self, step: str, recording_id: str) -> None:
        if self.on_step:
            self.on_step(step, recording_id)


def _overrides_json(overrides: Overrides) -> dict[str, object]:
    return {k: v for k, v in vars(overrides).items() if v is not None}


def _overrides_of(job: JobView) -> Overrides:
    return Overrides(**{k: job.overrides.get(k) for k in ("robot_serial", "scenario_id", "start_ns")})
