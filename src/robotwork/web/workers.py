"""Ingest off the request path: a pool that runs queued jobs while requests are answered.

An upload's bytes are kept and its job queued (202) by the request; a worker thread here runs
the job to `counted` through `Intake.finish`, the same code as `ingest --resume` and the Ray
tasks. The claim in the registry, not this pool, keeps two workers (of this or any other
process) from doing the same job; the pool only bounds how many run at once in this process.
"""

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from robotwork.intake import Intake

_log = logging.getLogger("robotwork.web.workers")


class IngestWorkers:
    """A few threads that finish queued ingest jobs of this web process."""

    def __init__(self, intake: Intake, workers: int = 2) -> None:
        self.intake = intake
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest")

    def submit(self, recording_id: str) -> Future[None]:
        """Run a queued job soon; its outcome lands in the registry (GET /recordings/{id})."""
        return self._pool.submit(self._finish, recording_id)

    def resume(self) -> Future[None]:
        """Finish what a crash or a restart left half-way, and drop old staging (at start)."""
        return self._pool.submit(self._resume)

    def shutdown(self) -> None:
        """Stop taking jobs; running ones finish (or, if killed, are resumed by the next start)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _finish(self, recording_id: str) -> None:
        try:
            self.intake.finish(recording_id)
        except Exception:  # a bug: logged; the job stays for --resume, released by intake
            _log.exception("ingest of %s failed", recording_id)

    def _resume(self) -> None:
        try:
            self.intake.store.clean_staging()
            self.intake.resume()
        except Exception:
            _log.exception("resuming ingests failed")
