"""Evidence: what each recording proves, derived from its raw rows in one streaming pass.

The names below load on first use (PEP 562): the figures, compliance and the CLI import this
package for its light modules, and should not pay for Arrow and NumPy until a recording is read.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES = {
    "DayEvidence": "model",
    "Episode": "model",
    "EvidenceError": "model",
    "Intervention": "model",
    "RecordingEvidence": "model",
    "Segment": "model",
    "replay_overlap": "fingerprint",
    "summarize": "recording",
}

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


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'robotwork.evidence' has no attribute {name!r}")
    return getattr(import_module(f"robotwork.evidence.{_HOMES[name]}"), name)
