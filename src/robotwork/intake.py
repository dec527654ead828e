"""Taking in a recording: store it (ingest), then bring its evidence up to date (derive).

The one entry for every way a recording arrives (CLI, demo, web upload), so a stored recording
always has its derived rows and integrity flags.
"""

from collections.abc import Callable
from pathlib import Path
from threading import Lock

from sqlalchemy import Engine

from robotwork.evidence.derived import derive_recording
from robotwork.evidence.fingerprint_index import FingerprintIndex
from robotwork.ingest.pipeline import IngestResult, Overrides, ingest_path
from robotwork.policy import Policy
from robotwork.store.telemetry import TelemetryStore


class Intake:
    """Ingest and derive, sharing one fingerprint index across every recording it takes.

    One per process (the CLI's batch, the demo, the web app): loading the index reads every
    recording's fingerprints once. `take` is serialized, so concurrent web uploads never race
    on the index or on the same recording.
    """

    def __init__(self, engine: Engine, store: TelemetryStore, policy: Policy, *, actor: str) -> None:
        self.engine, self.store, self.policy, self.actor = engine, store, policy, actor
        self.index = FingerprintIndex(store)
        self._lock = Lock()

    def take(
        self,
        path: Path,
        *,
        overrides: Overrides | None = None,
        now_ns: int | None = None,
        on_rows: Callable[[int], None] | None = None,
        actor: str | None = None,
    ) -> IngestResult:
        """Ingest `path` (as `actor`, default the intake's); when stored, derive its evidence and flags."""
        with self._lock:
            return self._take(path, overrides, now_ns, on_rows, actor or self.actor)

    def _take(
        self,
        path: Path,
        overrides: Overrides | None,
        now_ns: int | None,
        on_rows: Callable[[int], None] | None,
        actor: str,
    ) -> IngestResult:
        result = ingest_path(
            self.engine,
            self.store,
            self.policy,
            path,
            overrides=overrides or Overrides(),
            actor=actor,
            now_ns=now_ns,
            on_rows=on_rows,
        )
        if result.status == "ingested" and result.recording_id:
            derive_recording(self.engine, self.store, self.policy, result.recording_id, self.index)
        return result
