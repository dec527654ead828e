"""Evidence: what each recording proves, derived from its raw rows in one streaming pass."""

from robotwork.evidence.fingerprint import replay_overlap
from robotwork.evidence.model import (
    DayEvidence,
    Episode,
    EvidenceError,
    Intervention,
    RecordingEvidence,
    Segment,
)
from robotwork.evidence.recording import summarize

__all__ = [
    "DayEvidence",
    "Episode",
    "EvidenceError",
    "Intervention",
    "RecordingEvidence",
    "Segment",
    "replay_overlap",
    "summarize",
]
