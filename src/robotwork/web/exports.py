"""Dataset exports started from the web: a background job per request, its progress, and the
finished dataset as a downloadable archive.

An export reads every selected episode's telemetry and writes a LeRobot dataset, which takes
longer than a request should; so the request only checks the selection and starts a thread, and
the page follows the job (`ExportJobs.read`). One export runs at a time per server process (the
others wait), so a few clicks cannot take every core from the server.

Each job is also a small JSON file under the home (`JOBS_DIR`), written when it changes state
and about once a second while it runs, so a restarted server (or another server process on the
same home) still lists a person's exports and serves the finished ones: the datasets themselves
are in the registry and on disk. A job that was queued or running in a process that is gone is
shown as interrupted, and the half-written folder it left is removed; it is not restarted on
its own (the person may no longer want it, and the selection is easy to start again).
"""

import json
import os
import re
import shutil
import tarfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from robotwork.access import ReadScope
from robotwork.datasets.export import export_dataset
from robotwork.datasets.selection import DatasetError, ExportFilters, select_episodes
from robotwork.errors import RobotworkError
from robotwork.policy import Policy
from robotwork.store.telemetry import TelemetryStore

EXPORTS_DIR = "datasets/web"  # under the home: where web exports are written
JOBS_DIR = "datasets/web/jobs"  # under the home: one JSON file per export job
ARCHIVES_DIR = "datasets/archives"  # under the home: one .tar.gz per downloaded dataset
INTERRUPTED = "interrupted: the server stopped during the export; start it again"
_JOB_ID = re.compile(r"^[0-9a-f]{12}$")
_SAVE_EVERY_S = 1.0
# Jobs queued or running in this process, whichever `ExportJobs` started them (an app per test,
# say): a job file with our pid that is not here was left by an earlier process with that pid.
_UNFINISHED_HERE: set[str] = set()
_UNFINISHED_LOCK = threading.Lock()


@dataclass
class ExportJob:
    """One export asked for on the web: who, what, how far it has come, and which process runs it."""

    job_id: str
    by: str
    name: str
    filters: dict[str, Any]
    episodes: int
    state: str = "queued"  # queued | running | done | failed
    frames_done: int = 0
    frames_total: int = 0
    dataset_ids: list[str] = field(default_factory=list)
    error: str | None = None
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    pid: int = field(default_factory=os.getpid)

    def to_json(self) -> dict[str, Any]:
        """The job as the page and its JSON twin show it, with the share done."""
        share = self.frames_done / self.frames_total if self.frames_total else 0.0
        return dict(asdict(self), progress=1.0 if self.state == "done" else round(share, 4))


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ExportJobs:
    """The export jobs of one home: those this process runs (each on a thread, one at a time) in
    memory, every job (this process's and earlier ones') as a file under `JOBS_DIR`."""

    def __init__(self, engine: Engine, store: TelemetryStore, policy: Policy, home: Path) -> None:
        self.engine, self.store, self.policy, self.home = engine, store, policy, home
        self.folder = home / JOBS_DIR
        self._jobs: dict[str, ExportJob] = {}
        self._lock = threading.Lock()
        self._one_at_a_time = threading.Lock()
        self._recover()

    def start(self, scope: ReadScope, filters: ExportFilters, name: str | None) -> ExportJob:
        """Check the selection (known names, some episodes, every robot in the reader's scope)
        and start the export; `RobotworkError` (nothing started) when the selection cannot be."""
        episodes = select_episodes(self.engine, filters, self.policy.zone)
        if not episodes:
            raise DatasetError("no task episodes match the selection (flagged recordings are left out)")
        foreign = sorted({e.robot_serial for e in episodes if not scope.sees_robot(e.robot_serial)})
        if foreign:
            raise RobotworkError(
                f"the selection holds {len(foreign)} robot(s) outside your scope; narrow it (scenario, model)"
            )
        job_id = uuid.uuid4().hex[:12]
        label = (name or "").strip() or f"web-{job_id}"
        job = ExportJob(job_id, scope.principal.name, label, filters.to_json(), len(episodes))
        with self._lock:
            self._jobs[job_id] = job
        with _UNFINISHED_LOCK:
            _UNFINISHED_HERE.add(job_id)
        self._save(job)
        threading.Thread(target=self._run, args=(job, filters), name=f"export-{job_id}", daemon=True).start()
        return job

    def read(self, job_id: str, reader: str) -> ExportJob | None:
        """A job of `reader`'s, run here or by an earlier process (another person's job is not
        theirs to follow)."""
        with self._lock:
            job = self._jobs.get(job_id)
        job = job or self._load(job_id)
        return job if job is not None and job.by == reader else None

    def of(self, reader: str) -> list[ExportJob]:
        """The reader's export jobs, the newest first."""
        ids = [p.stem for p in self.folder.glob("*.json")] if self.folder.is_dir() else []
        found = [job for job_id in ids if (job := self.read(job_id, reader)) is not None]
        return sorted(found, key=lambda j: (j.started_at, j.job_id), reverse=True)

    def _path(self, job_id: str) -> Path:
        return self.folder / f"{job_id}.json"

    def _save(self, job: ExportJob) -> None:
        """Write the job's file whole (a reader never sees half of it)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".{job.job_id}.{uuid.uuid4().hex[:8]}.tmp"
        partial.write_text(json.dumps(asdict(job)))
        partial.replace(self._path(job.job_id))

    def _load(self, job_id: str) -> ExportJob | None:
        if not _JOB_ID.match(job_id):
            return None
        try:
            job = ExportJob(**json.loads(self._path(job_id).read_text()))
        except (OSError, ValueError, TypeError):
            return None
        if job.state in ("queued", "running") and self._orphaned(job):
            job.state, job.error = "failed", INTERRUPTED
        return job

    def _orphaned(self, job: ExportJob) -> bool:
        """Whether a queued or running job's process is gone (our own pid on a job this process
        is not running is an earlier process whose pid was given again)."""
        if job.pid == os.getpid():
            with _UNFINISHED_LOCK:
                return job.job_id not in _UNFINISHED_HERE
        return not _process_alive(job.pid)

    def _recover(self) -> None:
        """Mark the jobs an earlier process left unfinished as interrupted, and remove the
        half-written folders they left."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*.json"):
            job = self._load(path.stem)
            if job is None or job.error != INTERRUPTED:
                continue
            self._save(job)
            for partial in (self.home / EXPORTS_DIR).glob(f".{job.name}-{job.job_id}.partial-*"):
                shutil.rmtree(partial, ignore_errors=True)

    def _run(self, job: ExportJob, filters: ExportFilters) -> None:
        saved = [time.monotonic()]

        def progress(done: int, total: int) -> None:
            job.frames_done, job.frames_total = done, total
            if time.monotonic() - saved[0] >= _SAVE_EVERY_S:
                saved[0] = time.monotonic()
                self._save(job)

        with self._one_at_a_time:
            job.state = "running"
            self._save(job)
            out = self.home / EXPORTS_DIR / f"{job.name}-{job.job_id}"
            out.parent.mkdir(parents=True, exist_ok=True)
            try:
                results = export_dataset(
                    self.engine,
                    self.store,
                    self.policy,
                    out,
                    name=job.name,
                    filters=filters,
                    actor=job.by,
                    on_progress=progress,
                )
            except Exception as exc:  # noqa: BLE001 - the job reports every failure, the server goes on
                job.state, job.error = "failed", str(exc)
            else:
                job.dataset_ids = [r.dataset_id for r in results]
                job.state = "done"
            self._save(job)
        with _UNFINISHED_LOCK:
            _UNFINISHED_HERE.discard(job.job_id)


def dataset_archive(home: Path, dataset_id: str, path: Path) -> Path:
    """The dataset folder as one .tar.gz (made on the first download, kept for the next), its
    members under the dataset's folder name so it unpacks into a LeRobot root."""
    target = home / ARCHIVES_DIR / f"{dataset_id}.tar.gz"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial-{uuid.uuid4().hex[:8]}")
    with tarfile.open(partial, "w:gz") as tar:
        tar.add(path, arcname=path.name)
    partial.replace(target)
    return target
