"""From selected task episodes to the episodes a dataset will hold, in their final order.

An episode's split (train or validation) comes from a hash of its identity (recording and start
time), so it never changes when other episodes join or leave the selection. LeRobot records
splits as ranges of episode indices, so train episodes come first and validation ones after.
"""

import hashlib
from dataclasses import dataclass

import numpy as np

from robotwork.datasets.resample import NS
from robotwork.datasets.selection import SelectedEpisode
from robotwork.datasets.source import load_events
from robotwork.store.schema import CONTROL_MODE, INTERVENTIONS
from robotwork.store.telemetry import TelemetryStore

SEGMENT_KINDS = ("takeover", "correction")


@dataclass(frozen=True)
class EpisodePlan:
    """One dataset episode: a time range of a recording, its task and split."""

    recording_id: str
    robot_serial: str
    start_ns: int
    end_ns: int
    task: str
    outcome: str
    success: bool
    split: str

    @property
    def identity(self) -> str:
        """What the split hash is taken of."""
        return f"{self.recording_id}:{self.start_ns}:{self.end_ns}"


def split_of(identity: str, val_fraction: float) -> str:
    """`val` for a deterministic `val_fraction` share of identities, `train` for the rest."""
    if val_fraction <= 0:
        return "train"
    draw = int.from_bytes(hashlib.sha256(identity.encode()).digest()[:8], "big") / 2**64
    return "val" if draw < val_fraction else "train"


def _plan(ep: SelectedEpisode, start: int, end: int, success: bool, val_fraction: float) -> EpisodePlan:
    identity = f"{ep.recording_id}:{start}:{end}"
    return EpisodePlan(
        ep.recording_id,
        ep.robot_serial,
        start,
        end,
        ep.task,
        ep.outcome,
        success,
        split_of(identity, val_fraction),
    )


def task_plans(episodes: list[SelectedEpisode], val_fraction: float) -> list[EpisodePlan]:
    """Each task episode whole; `next.success` on its last frame when it succeeded."""
    return [_plan(e, e.start_ns, e.end_ns, e.outcome == "success", val_fraction) for e in episodes]


def intervention_plans(
    store: TelemetryStore,
    files: dict[str, list[str]],
    episodes: list[SelectedEpisode],
    *,
    seconds_before: float,
    val_fraction: float,
) -> list[EpisodePlan]:
    """For each takeover or correction inside a selected task episode: `seconds_before` before
    it, then the human-controlled segment until the next `autonomous` control-mode message (or
    the task's end), clipped to the task episode. An intervention inside the previous segment
    of the same task adds no episode (the segment already holds it, marked frame by frame)."""
    before_ns = round(seconds_before * NS)
    plans: list[EpisodePlan] = []
    events: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
    for ep in episodes:
        if ep.recording_id not in events:
            events = {ep.recording_id: load_events(store, files[ep.recording_id])}  # one at a time
        mode_times, modes = events[ep.recording_id][CONTROL_MODE]
        times, kinds = events[ep.recording_id][INTERVENTIONS]
        autonomous = mode_times[modes == "autonomous"] if len(modes) else mode_times
        covered = ep.start_ns - 1
        for t, kind in zip(times.tolist(), kinds.tolist(), strict=True):
            if kind not in SEGMENT_KINDS or not ep.start_ns <= t <= ep.end_ns or t <= covered:
                continue
            after = autonomous[autonomous > t]
            end = min(int(after[0]), ep.end_ns) if len(after) else ep.end_ns
            start = max(ep.start_ns, t - before_ns)
            plans.append(_plan(ep, start, end, ep.outcome == "success" and end == ep.end_ns, val_fraction))
            covered = end
    return plans


def ordered(plans: list[EpisodePlan]) -> tuple[list[EpisodePlan], dict[str, str]]:
    """Train episodes first, then validation ones, each in selection order; and the splits."""
    train = [p for p in plans if p.split == "train"]
    val = [p for p in plans if p.split == "val"]
    splits = {"train": f"0:{len(train)}"}
    if val:
        splits["val"] = f"{len(train)}:{len(train) + len(val)}"
    return train + val, splits
