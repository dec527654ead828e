"""Work spread over machines with Ray: ingest, rebuild and export as tasks, one home for all.

A task gets a `Home` (registry URL, store URL, policy file, actor) and opens it in its worker
process, once per process; every worker of a cluster therefore shares one registry (PostgreSQL)
and one telemetry store (S3). Tasks run exactly the functions a single process runs
(`Intake.take`, `Intake.finish`, `summarize_recording`), so the registry's claims, not Ray,
keep two tasks off the same recording, and a task Ray retries after its worker died finishes
what that worker left (docs/ingest.md, docs/scale.md).

`Runner` is the one switch: with Ray it submits tasks, without it calls the same function
here, in order, so `--ray` changes where work runs and never what it computes.
"""

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from robotwork.errors import RobotworkError
from robotwork.evidence.model import RecordingEvidence
from robotwork.ingest.pipeline import IngestResult, Overrides
from robotwork.intake import Intake
from robotwork.policy import Policy, load_policy
from robotwork.registry.db import open_registry, sqlite_url
from robotwork.store.telemetry import TelemetryStore

# Tasks a worker died in are run again (a killed machine, an out-of-memory kill): the claim
# in the registry lets the new attempt take over once the dead one's heartbeat is stale.
TASK_RETRIES = 3


@dataclass(frozen=True)
class Home:
    """Where the work is, as any machine of the cluster opens it (all picklable text)."""

    db_url: str
    store_url: str
    policy_path: str | None
    actor: str

    @classmethod
    def at(
        cls, home: Path, db_url: str | None, store_url: str | None, policy_path: Path | None, actor: str
    ) -> "Home":
        """The home of the global options, with the defaults made absolute for other processes."""
        folder = home.resolve()
        return cls(
            db_url or sqlite_url(folder),
            store_url or str(folder / "telemetry"),
            str(policy_path.resolve()) if policy_path else None,
            actor,
        )

    def open(self) -> tuple[Engine, TelemetryStore, Policy]:
        """Registry, store and policy of this home, opened once per process."""
        return _opened(self)

    def intake(self) -> Intake:
        """This process's intake of the home (replay detection queries the registry)."""
        return _intake(self)


@cache
def _opened(home: Home) -> tuple[Engine, TelemetryStore, Policy]:
    policy = load_policy(Path(home.policy_path) if home.policy_path else None)
    return open_registry(home.db_url), TelemetryStore(home.store_url), policy


@cache
def _intake(home: Home) -> Intake:
    engine, store, policy = home.open()
    return Intake(engine, store, policy, actor=home.actor)


def ingest_file(home: Home, path: str, overrides: Overrides) -> IngestResult:
    """One file's ingest, as `robotwork ingest` runs it (a Ray task, or a call here)."""
    return home.intake().take(Path(path), overrides=overrides, actor=home.actor)


def finish_job(home: Home, recording_id: str) -> IngestResult | None:
    """Finish a queued upload's job (`serve --ray` hands these to the cluster)."""
    return home.intake().finish(recording_id)


def summarize_one(home: Home, recording_id: str) -> RecordingEvidence:
    """One recording's evidence from its stored rows: the parallel half of a rebuild."""
    from robotwork.evidence.derived import summarize_recording

    engine, store, policy = home.open()
    return summarize_recording(engine, store, policy, recording_id)


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise RobotworkError("--ray needs Ray: pip install 'robotwork[ray]'") from None
    return ray


def connect(address: str | None) -> None:
    """Join the Ray cluster at `address` (``auto``: the one `ray start` runs on this machine;
    none: `RAY_ADDRESS`, else a Ray of this process's own). Joining twice is a no-op."""
    ray = _ray()
    if ray.is_initialized():
        return
    try:
        ray.init(
            address=address or os.environ.get("RAY_ADDRESS") or None,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise RobotworkError(f"--ray {address or ''}: cannot join the Ray cluster: {exc}".strip()) from None


class Runner:
    """Runs one function over many argument tuples, results in order: on Ray, or here.

    At most `in_flight` tasks are out at once, so a rebuild of a million recordings holds a
    window of results, not all of them.
    """

    def __init__(self, *, ray: bool = False, address: str | None = None, in_flight: int = 64) -> None:
        self.ray = ray
        self.in_flight = in_flight
        if ray:
            connect(address)

    def map(self, fn: Callable[..., Any], args: Iterable[tuple[Any, ...]]) -> Iterator[Any]:
        """`fn(*a)` for each `a`, in the order given."""
        if not self.ray:
            for a in args:
                yield fn(*a)
            return
        remote = _remote(fn)
        pending: deque[Any] = deque()
        for a in args:
            pending.append(remote.remote(*a))
            if len(pending) >= self.in_flight:
                yield _ray().get(pending.popleft())
        while pending:
            yield _ray().get(pending.popleft())

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Start `fn(*args)` on the cluster and return its Ray object reference (Ray only)."""
        return _remote(fn).remote(*args)


@cache
def _remote(fn: Callable[..., Any]) -> Any:
    return _ray().remote(max_retries=TASK_RETRIES)(fn)


def ingest_files(
    home: Home,
    paths: list[Path],
    overrides: Overrides,
    runner: Runner,
    on_result: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Ingest files as tasks (one per file) and return their results in the order given."""
    results = []
    for result in runner.map(ingest_file, ((home, str(p.resolve()), overrides) for p in paths)):
        result.path = str(paths[len(results)])  # as the user named it, not as resolved
        results.append(result)
        if on_result:
            on_result(result)
    return results


def parallel_summaries(home: Home, runner: Runner) -> Callable[[list[str]], Iterator[RecordingEvidence]]:
    """What `rebuild_all` takes to summarize recordings as tasks while it writes in order."""

    def summaries(ids: list[str]) -> Iterator[RecordingEvidence]:
        return runner.map(summarize_one, ((home, rid) for rid in ids))

    return summaries


class RayIngestWorkers:
    """`serve --ray`: uploads' jobs finished by the cluster instead of this process's threads
    (the same interface as `robotwork.web.workers.IngestWorkers`)."""

    def __init__(self, home: Home, address: str | None) -> None:
        self.home = home
        self.runner = Runner(ray=True, address=address)

    def submit(self, recording_id: str) -> Any:
        """Run a queued job on the cluster; its outcome lands in the registry."""
        return self.runner.submit(finish_job, self.home, recording_id).future()

    def resume(self) -> Any:
        """Hand every unfinished job to the cluster (at start)."""
        from robotwork.ingest import jobs

        engine, _, _ = self.home.open()
        return [self.submit(job.recording_id) for job in jobs.unfinished(engine)]

    def shutdown(self) -> None:
        """Nothing to stop here: submitted jobs go on in the cluster."""
