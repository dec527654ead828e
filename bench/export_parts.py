"""Where an export's time goes: the whole call, then the same call with one stage taken away.

    .venv/bin/python bench/export_parts.py [--frames 100000] [--joints 32] [--repeat 5]

Builds the home of `bench/export.py` (1x only) and times `export_dataset` of its selection:
  full        the exporter as shipped;
  no-read     episode windows served from memory after a first read (the store read taken away);
  no-stats    per-episode and dataset statistics not computed;
  no-write    data-file row groups dropped instead of written.
Each line gives wall time (best of `--repeat`) and the process CPU time of that run: on a
machine with few cores, CPU time shows what the threads cost together. A stage's share is what
the call loses without it; stages overlap on their threads, so shares do not add up.
"""

import argparse
import tempfile
import time
from pathlib import Path
from unittest import mock

import export as bench

from robotwork.datasets import export as exporter
from robotwork.datasets.resample import RecordingSignals
from robotwork.datasets.source import RecordingSource
from robotwork.datasets.writer import DatasetWriter
from robotwork.store.telemetry import TelemetryStore


class MemorySource:
    """A recording's episode windows served from memory once read (the store read taken away)."""

    windows: dict[tuple[object, ...], RecordingSignals] = {}

    def __init__(self, store: TelemetryStore, files: list[str], *, velocities: bool = False) -> None:
        self.store, self.files, self.velocities = store, tuple(files), velocities
        self.source: RecordingSource | None = None

    def window(self, start_ns: int, end_ns: int) -> RecordingSignals:
        key = (self.files, start_ns, end_ns)
        if key not in self.windows:
            self.source = self.source or RecordingSource(
                self.store, list(self.files), velocities=self.velocities
            )
            self.windows[key] = self.source.window(start_ns, end_ns)
        return self.windows[key]


def timed(home: Path, root: Path, label: str, repeat: int) -> tuple[float, float]:
    """Best wall time of `repeat` exports, and the CPU time of that run."""
    runs = []
    for k in range(repeat):
        out = root / f"{label}-{k}"
        t0, c0 = time.perf_counter(), time.process_time()
        bench.export(home, bench.ONE, out)
        runs.append((time.perf_counter() - t0, time.process_time() - c0))
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--joints", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        home = root / "home"
        bench.build_home(home, -(-args.frames // bench.EPISODE_FRAMES), 1, args.joints)
        stages = {
            "full": mock.patch.object(exporter, "RecordingSource", RecordingSource),
            "no-read": mock.patch.object(exporter, "RecordingSource", MemorySource),
            "no-stats": mock.patch.object(DatasetWriter, "_episode_stats", lambda self, columns: {}),
            "no-write": mock.patch.object(
                DatasetWriter, "_flush", lambda self, whole_groups_only: self._buffer.clear()
            ),
        }
        with stages["no-read"]:
            bench.export(home, bench.ONE, root / "warm")  # fills the cache
        results = {}
        for label, patch in stages.items():
            with patch:
                results[label] = timed(home, root, label, args.repeat)
        full = results["full"][0]
        print(f"{args.frames:,} frames x {args.joints} joints, best of {args.repeat}")
        for label, (wall, cpu) in results.items():
            print(
                f"  {label:9s} {wall:6.3f} s wall ({args.frames / wall:9,.0f} frames/s), {cpu:6.3f} s CPU; "
                f"the stage costs {full - wall:6.3f} s of wall time"
            )


if __name__ == "__main__":
    main()
