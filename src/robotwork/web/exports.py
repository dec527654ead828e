"""Dataset exports started from the web: a background job per request, its progress, and the
finished dataset as a downloadable archive.

An export reads every selected episode's telemetry and writes a LeRobot dataset, which takes
longer than a request should; so the request only checks the selection and starts a thread, and
the page follows the job (`ExportJobs.read`). One export runs at a time per server process (the
others wait), so a few clicks cannot take every core from the server. The jobs are kept in the
process's memory: a restart forgets a running job's progress (its half-written folder is removed
by the exporter), not a finished dataset, which is in the registry like any other.
"""

import tarfile
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from robotwork.access import ReadScope
from robotwork.datasets.export import export_dataset
from robotwork.datasets.selection import DatasetError, ExportFilters, select_episodes
from robotwork.errors import RobotworkError
from robotwork.policy import Policy
from robotwork.store.telemetry import TelemetryStore

EXPORTS_DIR = "datasets/web"  # under the home: where web exports are written
ARCHIVES_DIR = "datasets/archives"  # under the home: one .tar.gz per downloaded dataset


@dataclass
class ExportJob:
    """One export asked for on the web: who, what, and how far it has come."""

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

    def to_json(self) -> dict[str, Any]:
        """The job as the page and its JSON twin show it, with the share done."""
        share = self.frames_done / self.frames_total if self.frames_total else 0.0
        return dict(asdict(self), progress=1.0 if self.state == "done" else round(share, 4))


class ExportJobs:
    """The export jobs of one server process, each run on a thread of its own, one at a time."""

    def __init__(self, engine: Engine, store: TelemetryStore, policy: Policy, home: Path) -> None:
        self.engine, self.store, self.policy, self.home = engine, store, policy, home
        self._jobs: dict[str, ExportJob] = {}
        self._lock = threading.Lock()
        self._one_at_a_time = threading.Lock()

    def start(self, scope: ReadScope, filters: ExportFilters, name: str | None) -> ExportJob:
        """Check the selection (known names, some episodes, every robot in the reader's scope)
        and start the export; `RobotworkError` (nothing started) when the selection cannot be."""
        with Session(self.engine) as session:
            episodes = select_episodes(session, filters, self.policy.zone)
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
        threading.Thread(target=self._run, args=(job, filters), name=f"export-{job_id}", daemon=True).start()
        return job

    def read(self, job_id: str, reader: str) -> ExportJob | None:
        """A job of `reader`'s (another person's job is not theirs to follow)."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.by == reader else None

    def _run(self, job: ExportJob, filters: ExportFilters) -> None:
        def progress(done: int, total: int) -> None:
            job.frames_done, job.frames_total = done, total

        with self._one_at_a_time:
            job.state = "running"
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
                return
            job.dataset_ids = [r.dataset_id for r in results]
            job.state = "done"


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
