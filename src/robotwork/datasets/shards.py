"""Episode shards for `dataset export --ray`: windows read and resampled as Ray tasks.

Reading an episode's window of its recording and resampling it to the dataset's frames is
the work that grows with the data; it depends on nothing but the episode. A shard is a run of
consecutive episodes of the export plan; tasks compute shards in parallel and the one writer
of the dataset takes their frames in plan order, so the files are the bytes a serial export
writes (tested). Camera frames stay with the writer: they are encoded in order as they come.
"""

from collections.abc import Iterator

import numpy as np

from robotwork.cluster import Home, Runner
from robotwork.datasets.plan import EpisodePlan
from robotwork.datasets.resample import RecordingSignals
from robotwork.datasets.source import RecordingSource

SHARD_EPISODES = 8  # episodes per task: enough work to pay for a task, few enough to spread
EpisodeValues = tuple[dict[str, np.ndarray], np.ndarray]


def episode_values(signals: RecordingSignals, plan: EpisodePlan, fps: int) -> EpisodeValues:
    """The episode's data columns, and its frame times (for the cameras)."""
    frames = signals.frames(plan.start_ns, plan.end_ns, fps)
    success = np.zeros(len(frames["mode"]), dtype=bool)
    success[-1] = plan.success
    values = {
        "observation.state": frames["state"],
        "action": frames["action"],
        "control_mode": frames["mode"],
        "intervention": frames["intervention"],
        "next.success": success,
    }
    return values, frames["time_ns"]


def shard_values(
    home: Home, files: dict[str, list[str]], plans: list[EpisodePlan], fps: int, velocities: bool
) -> list[EpisodeValues]:
    """One shard: each plan's window of its recording, resampled (a Ray task, or a call here)."""
    _, store, _ = home.open()
    source: tuple[str, RecordingSource] | None = None
    out = []
    for plan in plans:
        if source is None or source[0] != plan.recording_id:
            source = (
                plan.recording_id,
                RecordingSource(store, files[plan.recording_id], velocities=velocities),
            )
        out.append(episode_values(source[1].window(plan.start_ns, plan.end_ns), plan, fps))
    return out


class ShardReader:
    """Computes an export's episodes as shards on a `Runner` (Ray, or this process)."""

    def __init__(self, home: Home, runner: Runner, shard_episodes: int = SHARD_EPISODES) -> None:
        self.home, self.runner, self.shard_episodes = home, runner, shard_episodes

    def episodes(
        self, files: dict[str, list[str]], plans: list[EpisodePlan], fps: int, *, velocities: bool
    ) -> Iterator[EpisodeValues]:
        """Every plan's columns and frame times, in plan order, computed shard by shard."""
        n = self.shard_episodes
        shards = [plans[i : i + n] for i in range(0, len(plans), n)]
        args = (
            (self.home, {p.recording_id: files[p.recording_id] for p in shard}, shard, fps, velocities)
            for shard in shards
        )
        for shard in self.runner.map(shard_values, args):
            yield from shard
