"""Ingest off the request path: worker processes that run queued jobs while requests are answered.

An upload's bytes are kept and its job queued (202) by the request; a worker process here runs
the job to `counted` through `Intake.finish`, the same code as `ingest --resume` and the Ray
tasks. Processes, not threads: decoding is CPU work under the interpreter lock, and in the
server's own process it would delay every request (/health included) by whole switch intervals.
The claim in the registry, not this pool, keeps two workers (of this or any other process or
machine) from doing the same job; the pool only bounds how many run at once here.
"""

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from robotwork.ingest import inbox, jobs
from robotwork.intake import Intake

_log = logging.getLogger("robotwork.web.workers")


@dataclass(frozen=True)
class IntakeConfig:
    """What a worker process needs to open the same registry, store and policy as the server."""

    db_url: str
    store_url: str
    policy_path: Path | None
    actor: str = "web"


_INTAKE: Intake | None = None


def _start(config: IntakeConfig) -> None:
    """Open the worker process's own engine and store (connections are never shared across
    processes)."""
    global _INTAKE
    os.nice(10)  # background work: on a busy machine the server's requests come first
    parent = os.getppid()
    threading.Thread(target=_exit_with, args=(parent,), name="parent-watch", daemon=True).start()
    from robotwork.policy import load_policy
    from robotwork.registry.db import open_registry
    from robotwork.store.telemetry import TelemetryStore

    _INTAKE = Intake(
        open_registry(config.db_url),
        TelemetryStore(config.store_url),
        load_policy(config.policy_path),
        actor=config.actor,
    )


def _exit_with(parent: int) -> None:
    """End this worker when the server that started it is gone (killed without a shutdown):
    a job it was running is resumed by the next start, as after any crash."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _finish(recording_id: str) -> None:
    assert _INTAKE is not None
    try:
        _INTAKE.finish(recording_id)
    except Exception:  # a bug: logged; the job is released by intake and stays for --resume
        _log.exception("ingest of %s failed", recording_id)


def _resume() -> None:
    assert _INTAKE is not None
    try:
        _INTAKE.resume()
    except Exception:
        _log.exception("resuming ingests failed")


class IngestWorkers:
    """A few worker processes (started at the first job) that finish this server's uploads."""

    def __init__(self, intake: Intake, config: IntakeConfig, workers: int = 2) -> None:
        self.intake = intake
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(config,),
        )

    def submit(self, recording_id: str) -> Future[None]:
        """Run a queued job soon; its outcome lands in the registry (GET /recordings/{id})."""
        return self._pool.submit(_finish, recording_id)

    def resume(self) -> None:
        """At start: drop old staging, and finish what a crash or a restart left half-way
        (worker processes are started only when there is such work)."""
        threading.Thread(target=self._clean, name="clean-staging", daemon=True).start()
        if jobs.unfinished(self.intake.engine):
            self._pool.submit(_resume)

    def shutdown(self) -> None:
        """Stop taking jobs; running ones finish (or, if killed, are resumed by the next start)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _clean(self) -> None:
        try:
            self.intake.store.clean_staging()
            inbox.clean_partial(self.intake.store)
        except Exception:
            _log.exception("cleaning staging failed")
