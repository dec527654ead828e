"""Taking in a recording: store it (ingest), then bring its evidence up to date (derive).

The one entry for every way a recording arrives (CLI, demo, web upload), so a stored recording
always has its derived rows and integrity flags.
"""

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from robotwork.evidence.derived import derive_recording
from robotwork.evidence.fingerprint_index import FingerprintIndex
from robotwork.ingest.pipeline import IngestResult, Overrides, ingest_path
from robotwork.policy import Policy
from robotwork.store.telemetry import TelemetryStore


class Intake:
    """Ingest and derive, sharing one fingerprint index across a batch of recordings."""

    def __init__(self, engine: Engine, store: TelemetryStore, policy: Policy, *, actor: str) -> None:
        self.engine, self.store, self.policy, self.actor = engine, store, policy, actor
        self.index = FingerprintIndex(store)

    def take(
        self,
        path: Path,
        *,
        overrides: Overrides | None = None,
        now_ns: int | None = None,
        on_rows: Callable[[int], None] | None = None,
    ) -> IngestResult:
        """Ingest `path`; when it was stored, derive its evidence and flags."""
        result = ingest_path(
            self.engine,
            self.store,
            self.policy,
            path,
            overrides=overrides or Overrides(),
            actor=self.actor,
            now_ns=now_ns,
            on_rows=on_rows,
        )
        if result.status == "ingested" and result.recording_id:
            derive_recording(self.engine, self.store, self.policy, result.recording_id, self.index)
        return result
