"""What one recording proves: the small derived facts every figure is aggregated from.

Times are integer nanoseconds UTC; durations reported per day and per episode are float
seconds, the unit the rollups and reports use. Everything here is plain data: the rollups,
the integrity flags and the dataset export read it without touching raw rows again.
"""

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

import numpy as np

from robotwork.errors import RobotworkError

OPERATING_MODES = ("autonomous", "teleoperated", "scripted")  # the modes DayEvidence has fields for
INCOMPLETE = "incomplete"  # the outcome of an episode with no terminal event; terminal events name the others


class EvidenceError(RobotworkError):
    """A recording's rows break what evidence needs: time order, one joint layout, known values."""


@dataclass(frozen=True)
class Segment:
    """A control-mode segment: from one control_mode message to the next, or to the end."""

    start_ns: int
    end_ns: int
    mode: str


@dataclass(frozen=True)
class Episode:
    """A task episode: a `start` and the next terminal event.

    `until_ns` is when the episode stopped being open: its terminal event (then equal to
    `end_ns`), the next `start`, or the recording's end (both `incomplete`, `end_ns` None).
    `mode_seconds` is the time in [start_ns, until_ns) spent in each control mode.
    """

    start_ns: int
    end_ns: int | None
    until_ns: int
    task: str | None
    outcome: str
    mode_seconds: dict[str, float]

    @property
    def duration_s(self) -> float:
        """Seconds from the start to `until_ns`."""
        return (self.until_ns - self.start_ns) / 1e9

    def mode_share(self, mode: str) -> float:
        """Share of the episode's duration in `mode` (0 for an instantaneous episode)."""
        duration = self.duration_s
        return self.mode_seconds.get(mode, 0.0) / duration if duration > 0 else 0.0


@dataclass(frozen=True)
class Intervention:
    """An intervention, with the control mode in force when it happened (None: no mode yet)."""

    time_ns: int
    kind: str
    initiated_by: str | None
    reason: str | None
    mode: str | None


@dataclass
class DayEvidence:
    """One calendar day (in the policy's time zone) of one recording.

    Operating-mode fields hold only the time that falls in moving minutes; the non-moving rest
    of an operating segment is in `idle_s`, its whole length in `claimed_operating_s`.
    """

    day: date
    autonomous_s: float = 0.0
    teleoperated_s: float = 0.0
    scripted_s: float = 0.0
    idle_s: float = 0.0
    fault_s: float = 0.0
    claimed_operating_s: float = 0.0
    moving_minutes: int = 0
    tasks_started: int = 0
    tasks_succeeded: int = 0
    tasks_failed: int = 0
    tasks_aborted: int = 0
    tasks_incomplete: int = 0
    takeover: int = 0
    correction: int = 0
    estop: int = 0
    assist: int = 0

    @property
    def operating_s(self) -> float:
        """Operating time: the moving part of autonomous, teleoperated and scripted segments."""
        return self.autonomous_s + self.teleoperated_s + self.scripted_s

    def to_row(self) -> dict[str, Any]:
        """The day's fields as a dict, `day` a date: a row of the registry's recording_days."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_json(self) -> dict[str, Any]:
        """The day as a JSON-ready dict (ISO date, plus `operating_s`)."""
        return {**self.to_row(), "day": self.day.isoformat(), "operating_s": self.operating_s}


@dataclass(eq=False)
class RecordingEvidence:
    """Everything the registry, rollups and integrity checks need from one recording.

    `moving_minutes` holds the sorted UTC minute indices (floor(time_ns / 60e9)) that were
    moving, so overlapping recordings of one robot can be compared minute by minute.
    `content_digest` is None when the recording has no joint_states rows: an empty content
    must not make every joint-less recording a duplicate of every other.
    """

    start_ns: int | None
    end_ns: int | None
    days: list[DayEvidence]
    segments: list[Segment]
    episodes: list[Episode]
    interventions: list[Intervention]
    ignored_terminals: int
    joints: int
    samples: int
    moving_samples: int
    moving_minutes: np.ndarray
    content_digest: str | None
    fingerprints: np.ndarray = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of the whole evidence; arrays are given as counts only."""
        return {
            "start_ns": self.start_ns,
            "end_ns": self.end_ns,
            "days": [day.to_json() for day in self.days],
            "segments": [asdict(s) for s in self.segments],
            "episodes": [asdict(e) for e in self.episodes],
            "interventions": [asdict(i) for i in self.interventions],
            "ignored_terminals": self.ignored_terminals,
            "joints": self.joints,
            "samples": self.samples,
            "moving_samples": self.moving_samples,
            "moving_minutes": int(self.moving_minutes.size),
            "content_digest": self.content_digest,
            "fingerprints": int(self.fingerprints.size),
        }
